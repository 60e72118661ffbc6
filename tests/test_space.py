import numpy as np
import pytest
from steep import Bounds, UsageError


def test_pairs_text_and_broadcast_give_the_same_box():
    pairs = Bounds.parse([(-1, 2), (0, 5)])
    text = Bounds.parse("-1:2,0:5")
    np.testing.assert_array_equal(pairs.lower, text.lower)
    np.testing.assert_array_equal(pairs.upper, text.upper)
    repeated = Bounds.parse((-3, 3), dim=4)
    assert repeated.dim == 4 and repeated.as_pairs() == [(-3.0, 3.0)] * 4
    assert Bounds.parse("-3:3", dim=2).as_pairs() == [(-3.0, 3.0)] * 2


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([(1, 1)], "low 1.0 >= high 1.0"),
        ([(2, 1)], "low 2.0 >= high 1.0"),
        ([(0, np.inf)], "both must be finite"),
        ([(np.nan, 1)], "both must be finite"),
        ("1-2", "not of the form LOW:HIGH"),
        ("a:b", "not of the form LOW:HIGH"),
        ([1, 2, 3], "expected a (low, high) pair"),
        ("x", "not of the form"),
    ],
)
def test_bad_bounds_are_named(spec, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Bounds.parse(spec)


def test_dimension_mismatch_is_refused():
    with pytest.raises(UsageError, match="have 2 coordinates but dimension is 3"):
        Bounds.parse([(0, 1), (0, 1)], dim=3)


def test_contains_rejects_nan_and_outside_points():
    box = Bounds([0, 0], [1, 1])
    assert box.contains(np.array([[0.0, 1.0], [0.5, 0.5]]))
    assert not box.contains(np.array([[0.5, np.nan]]))
    assert not box.contains(np.array([[1.0 + 1e-12, 0.5]]))


def test_sample_stays_in_the_box_and_is_read_only_safe():
    box = Bounds([-2, 10], [-1, 20])
    points = box.sample(np.random.default_rng(0), 1000)
    assert box.contains(points)
    with pytest.raises(ValueError):
        box.lower[0] = 5
