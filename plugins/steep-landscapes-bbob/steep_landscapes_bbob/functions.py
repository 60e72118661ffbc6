"""The 24 noiseless BBOB functions as a table, and the landscape classes made from it."""

from __future__ import annotations

from .coco import MAX_ROTATED_DIM, REFERENCE, BBOBLandscape

#: COCO's five groups, as tags: what each group tests (Hansen et al. 2009).
GROUPS = {
    "bbob-separable": "COCO's separable functions (f1-f5)",
    "bbob-moderate-conditioning": "COCO's functions with low or moderate conditioning (f6-f9)",
    "bbob-high-conditioning": "COCO's unimodal functions with high conditioning (f10-f14)",
    "bbob-adequate-structure": (
        "COCO's multimodal functions with adequate global structure (f15-f19)"
    ),
    "bbob-weak-structure": "COCO's multimodal functions with weak global structure (f20-f24)",
}

#: The functions COCO does not rotate, which it computes in any dimension.
ROTATION_FREE = frozenset({1, 2, 3, 4, 5, 8, 20})

#: (COCO's number, COCO's name, group, steep's terrain tags, what the terrain does).
FUNCTIONS = (
    (1, "Sphere", "bbob-separable", {"smooth", "unimodal", "separable"},
     "The plain round bowl around a random x*: every method that descends finds it, so "
     "the cups it takes measure nothing but its pace."),
    (2, "Ellipsoidal (separable)", "bbob-separable",
     {"smooth", "unimodal", "separable", "ill-conditioned"},
     "An axis-parallel bowl a million times steeper along the last coordinate than along "
     "the first (condition 10^6), with small oscillations on its walls. Steps along the "
     "axes, or a method that learns the scaling, go straight down; plain slopes zigzag."),
    (3, "Rastrigin (separable)", "bbob-separable",
     {"smooth", "multimodal", "rugged", "separable"},
     "A bowl under a regular egg crate of cosine dips, about 10^D local minima, made "
     "asymmetric and slightly ill-conditioned. Separable: coordinate-wise search still "
     "wins."),
    (4, "Büche-Rastrigin", "bbob-separable", {"smooth", "multimodal", "rugged", "separable"},
     "Rastrigin skewed: positive values of the odd coordinates are stretched tenfold, so "
     "the 10^D local minima sit irregularly; outside the box a penalty climbs."),
    (5, "Linear slope", "bbob-separable", {"smooth", "unimodal", "separable"},
     "A plane tilted towards one corner of the box: x* lies on the boundary and the cost "
     "stays flat beyond it. It asks whether a method dares to walk to the edge rather "
     "than shrink around its start."),
    (6, "Attractive sector", "bbob-moderate-conditioning", {"smooth", "unimodal"},
     "Only a cone around x*, about 1/2^D of the space, holds low costs; elsewhere the "
     "cost rises a hundred times faster. One valley, strongly asymmetric, rotated."),
    (7, "Step ellipsoidal", "bbob-moderate-conditioning", {"stepped", "plateau"},
     "A rotated bowl (condition 100) cut into terraces of many sizes: apart from a small "
     "area near x* the slope is zero almost everywhere, so only comparing cups, not "
     "measuring slopes, finds the way down."),
    (8, "Rosenbrock, original", "bbob-moderate-conditioning", {"smooth", "ill-conditioned"},
     "The banana valley: a long, bent, narrow valley leads to x*, and following its curve "
     "is the work. In larger dimensions a local minimum catches about a quarter of the "
     "starts. Steep calls it ill-conditioned, as it does the classic Rosenbrock: the "
     "curvature at x* differs about 2500-fold between directions in 2-D."),
    (9, "Rosenbrock, rotated", "bbob-moderate-conditioning", {"smooth", "ill-conditioned"},
     "f8's banana valley, rotated, so it no longer follows the axes; ill-conditioned in "
     "steep's sense, as f8 is."),
    (10, "Ellipsoidal", "bbob-high-conditioning", {"smooth", "unimodal", "ill-conditioned"},
     "f2's bowl of condition 10^6, rotated: no longer separable, so only a method that "
     "learns the correlated scaling (a quasi-Newton method, CMA-ES) descends fast."),
    (11, "Discus", "bbob-high-conditioning", {"smooth", "unimodal", "ill-conditioned"},
     "One direction is a thousand times more sensitive than all the others (condition "
     "10^6): a discus-shaped bowl, rotated."),
    (12, "Bent cigar", "bbob-high-conditioning", {"smooth", "unimodal", "ill-conditioned"},
     "The discus turned inside out: one direction is a thousand times less sensitive, a "
     "long narrow ridge bent by an asymmetric transformation, to be followed to x*."),
    (13, "Sharp ridge", "bbob-high-conditioning", {"unimodal", "ill-conditioned"},
     "The cost grows with the distance from a line like |x|, not x²: the slope jumps "
     "across the crest, slope-following steps stall there, and the way to x* runs along "
     "it."),
    (14, "Different powers", "bbob-high-conditioning", {"unimodal", "ill-conditioned"},
     "Each direction grows with a different power, from 2 to 6, so the sensitivities part "
     "more the closer a search gets: conditioning that worsens towards the bottom, with a "
     "kink at x* itself."),
    (15, "Rastrigin", "bbob-adequate-structure", {"smooth", "multimodal", "rugged"},
     "Rastrigin's egg crate, about 10^D local minima over a global bowl, rotated and "
     "conditioned: no longer separable, so only long steps or a population see the bowl "
     "beneath the dips."),
    (16, "Weierstrass", "bbob-adequate-structure", {"multimodal", "rugged"},
     "A sum of cosines of ever higher frequency: rugged at every scale and moderately "
     "repetitive, its global minimum not unique, its slope changing faster than finite "
     "differences resolve."),
    (17, "Schaffer's F7", "bbob-adequate-structure", {"multimodal", "rugged"},
     "Ripples low and dense near x*, high and sparse far away: highly multimodal, "
     "asymmetric, rotated, with low conditioning."),
    (18, "Schaffer's F7, moderately ill-conditioned", "bbob-adequate-structure",
     {"multimodal", "rugged", "ill-conditioned"},
     "f17's ripples stretched to a condition of about 1000."),
    (19, "Composite Griewank-Rosenbrock F8F2", "bbob-adequate-structure",
     {"smooth", "multimodal", "rugged"},
     "Rosenbrock's valley passed through Griewank's cosine: the banana valley becomes a "
     "field of ripples, though its trend still leads to x*."),
    (20, "Schwefel x sin(√x)", "bbob-weak-structure", {"smooth", "multimodal"},
     "The most prominent of its 2^D minima sit near the corners of the box, far apart, "
     "behind a penalty at the walls; the trend says little about which is best."),
    (21, "Gallagher's Gaussian 101-me peaks", "bbob-weak-structure", {"multimodal"},
     "101 dips of random depths, widths and orientations at random places: where one is "
     "says nothing about where the deepest is. Around x* the condition is about 30."),
    (22, "Gallagher's Gaussian 21-hi peaks", "bbob-weak-structure",
     {"multimodal", "ill-conditioned"},
     "21 dips of random depths, widths and orientations at random places, the deepest "
     "one with condition about 1000."),
    (23, "Katsuura", "bbob-weak-structure", {"multimodal", "rugged"},
     "Continuous everywhere and differentiable nowhere: rugged and repetitive at every "
     "scale, with more than 10^D global minima."),
    (24, "Lunacek bi-Rastrigin", "bbob-weak-structure", {"multimodal", "rugged"},
     "Two funnels under Rastrigin's dips, one around x* and a wider one with a higher "
     "bottom opposite it: a population that follows the broad trend is led into the wrong one."),
)  # fmt: skip


def _landscape(
    number: int, coco_name: str, group: str, tags: set[str], terrain: str
) -> type[BBOBLandscape]:
    story = (
        f"COCO's f{number}, {coco_name}. One of {GROUPS[group]}. {terrain} Each cup is "
        f"evaluated by COCO's own code (cocoex), and x* and f* are COCO's; --instance s "
        f"is COCO's instance s + 1, with its own placement and f*. Reference: {REFERENCE}."
    )
    return type(
        f"F{number}",
        (BBOBLandscape,),
        {
            "__doc__": f"COCO's bbob f{number}: {coco_name}.",
            "__module__": __name__,
            "name": f"bbob-f{number}",
            "story": story,
            "tags": frozenset({*tags, "bbob", group}),
            "number": number,
            "max_dim": None if number in ROTATION_FREE else MAX_ROTATED_DIM,
        },
    )


#: The landscapes bbob-f1 ... bbob-f24, in COCO's order.
BBOB = tuple(_landscape(*row) for row in FUNCTIONS)

# module attributes F1 ... F24, so that pickle finds each class by its name
globals().update({cls.__name__: cls for cls in BBOB})
