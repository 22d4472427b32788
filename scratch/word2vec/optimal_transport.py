"""The exact earth mover's distance between two histograms: the transportation problem, solved by the simplex method.

Given masses ``a`` (``n`` sources) and ``b`` (``m`` sinks) of equal total, and a cost
``C[i, j]`` of moving one unit of mass from source ``i`` to sink ``j``, the earth mover's
distance is the least total cost of a transport plan:

    minimise  sum_ij C[i, j] x[i, j]   subject to   sum_j x[i, j] = a[i],  sum_i x[i, j] = b[j],  x >= 0.

This linear program is Hitchcock's transportation problem (F. L. Hitchcock 1941, "The
Distribution of a Product from Several Sources to Numerous Localities"), and the
*transportation simplex method* (G. B. Dantzig 1951, "Application of the Simplex Method to
a Transportation Problem"; the "u-v" or MODI method of textbooks such as Hillier and
Lieberman, "Introduction to Operations Research") solves it exactly:

1. A *basis* is a set of ``n + m - 1`` cells forming a spanning tree of the bipartite
   graph of sources and sinks; the plan that uses only those cells is determined by the
   masses. The *north-west corner rule* gives a first one (:func:`northwest_corner`).
2. *Potentials* ``u[i] + v[j] = C[i, j]`` on the basic cells (one equation per tree edge,
   ``u[0] = 0``) price every cell: the *reduced cost* ``C[i, j] - u[i] - v[j]`` is what one
   unit sent through the cell saves or costs once the tree reroutes the rest. If none is
   negative, the plan is optimal (the potentials are then a feasible dual solution of
   equal value: linear programming duality).
3. Otherwise a cell with negative reduced cost *enters*: with the basis it closes one
   cycle, whose cells alternately gain and lose mass. The least mass ``theta`` on a losing
   cell is moved around the cycle, and that cell *leaves* the basis.

Anti-cycling: the entering cell is the most negative one (Dantzig's rule), except after a
*degenerate* pivot (``theta == 0``, the plan does not change), where Bland's smallest-index
rule picks both the entering and the leaving cell until the plan moves again (R. G. Bland
1977, "New Finite Pivoting Rules for the Simplex Method"); Bland's rule cannot cycle, and
every non-degenerate pivot lowers the cost, so the method ends.

Arithmetic: the flows are exact. Every float64 mass is an integer over a power of two,
so over one common denominator the masses are integers (:func:`exact_masses`), and the
flows, sums and differences of them, are Python integers: no pivot rounds, ties
(degeneracy) are recognised exactly, and the plan is the exact optimum rounded once to
float64. Two identical histograms with a zero diagonal cost give exactly ``0.0``; integer
masses (word counts: :meth:`.KeyedVectors.wmdistance`) are solved as they are. The
costs stay float64: reduced costs above ``-RELATIVE_TOLERANCE`` times the largest cost
count as non-negative, so that rounding in the potentials (sums of up to ``n + m`` costs)
is not taken for an improvement; by duality the cost found is then within
``RELATIVE_TOLERANCE * max|C| * sum(a)`` of the optimum.

The interface follows POT's ``ot.emd2(a, b, M)`` (``ot/lp/_network_simplex.py``), which
gensim's ``KeyedVectors.wmdistance`` calls: masses of equal sum (to 6 decimals, else an
error), ``b`` rescaled to ``a``'s sum, zero masses left out of the problem. POT solves it
with a network simplex (Bonneel et al. 2011); the optimum, and so the distance, is the
same up to rounding.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import numpy as np

from ..errors import TokembError

RELATIVE_TOLERANCE = 1e-12  # reduced costs above -this * max|C| count as non-negative
MAX_PIVOTS = 1_000_000  # a guard against a bug or a rounding pathology, never reached in practice

Cell = tuple[int, int]

__all__ = ["TransportError", "earth_movers_distance", "exact_masses", "northwest_corner", "optimal_transport_plan"]


class TransportError(TokembError, ValueError):
    """Masses or costs that make no transportation problem: shapes, negative or non-finite values, unequal sums."""


def earth_movers_distance(a, b, cost) -> float:
    """The least cost of moving histogram ``a`` onto histogram ``b`` at ``cost[i, j]`` per unit: POT's ``ot.emd2``.

    >>> earth_movers_distance([0.5, 0.5], [0.5, 0.5], [[0.0, 1.0], [1.0, 0.0]])
    0.0
    >>> earth_movers_distance([1.0, 0.0], [0.25, 0.75], [[0.0, 2.0], [1.0, 0.0]])
    1.5
    """
    a, b, cost = _checked(a, b, cost)
    return float(np.sum(_plan(a, b, cost) * cost))


def optimal_transport_plan(a, b, cost) -> np.ndarray:
    """An optimal plan ``x`` (``x.sum(1) == a``, ``x.sum(0) == b``, ``x >= 0``): POT's ``ot.emd``.

    Masses may be floats or integers (counts, solved exactly); the plan is float64.

    Rows and columns of zero mass carry nothing and are left out of the simplex, as POT
    leaves them out. Where several plans are optimal, which one is returned may differ
    from POT's; their cost does not.
    """
    return _plan(*_checked(a, b, cost))


def _plan(a: np.ndarray, b: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """:func:`optimal_transport_plan` of checked inputs."""
    plan = np.zeros(cost.shape)
    rows, cols = np.flatnonzero(a > 0), np.flatnonzero(b > 0)
    if rows.size and cols.size:
        plan[np.ix_(rows, cols)] = _transportation_simplex(a[rows], b[cols], cost[np.ix_(rows, cols)])
    return plan


def _checked(a, b, cost) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The inputs as arrays, with POT's rules: equal sums to 6 decimals, ``b`` rescaled to ``a``'s sum.

    Integer masses (counts) stay integers, solved exactly, and must have equal sums;
    anything else becomes float64. Unlike POT, float ``b`` is left as it is when the sums
    are already equal in float64, so that two identical histograms stay identical (POT's
    ``b * a.sum() / b.sum()`` can move a mass by an ulp; its solver's tolerances hide
    that, the exact flows here would not).
    """
    a, b = np.asarray(a), np.asarray(b)
    counts = a.dtype.kind in "iu" and b.dtype.kind in "iu"
    if not counts:
        a, b = a.astype(np.float64), b.astype(np.float64)
    cost = np.asarray(cost, dtype=np.float64)
    if a.ndim != 1 or b.ndim != 1 or cost.shape != (a.size, b.size):
        raise TransportError(f"masses of shapes {a.shape} and {b.shape} need a cost matrix of shape "
                             f"({a.size}, {b.size}), got {cost.shape}")  # fmt: skip
    if a.size == 0 or b.size == 0:
        raise TransportError("both histograms need at least one entry")
    for name, values in (("a", a), ("b", b), ("cost", cost)):
        if not np.isfinite(values).all():
            raise TransportError(f"{name} holds non-finite values (nan or inf)")
    if (a < 0).any() or (b < 0).any():
        raise TransportError("masses must be non-negative")
    total_a, total_b = (sum(map(int, a)), sum(map(int, b))) if counts else (a.sum(), b.sum())
    if (total_a != total_b) if counts else abs(total_a - total_b) >= 1.5e-6:  # POT: decimal=6
        raise TransportError(f"a and b vector must have the same sum (got {total_a!r} and {total_b!r})")
    if total_b != total_a and total_b > 0:
        b = b * (total_a / total_b)  # POT always rescales, which may move equal masses by an ulp
    return a, b, cost


def exact_masses(supply: np.ndarray, demand: np.ndarray) -> tuple[list[int], list[int], int]:
    """The masses as integers over one common denominator ``2**k``: every float64 is such a fraction exactly.

    Integer masses (counts) are taken as they are, over ``1``. Sums and differences of
    the integers are exact, so the simplex's flows never round. If the two sides' exact
    totals differ (``b`` rescaled to ``a``'s sum in floating point can be off by an ulp),
    the lighter side's largest mass takes the difference.
    """
    if supply.dtype.kind in "iu" and demand.dtype.kind in "iu":
        return [int(value) for value in supply], [int(value) for value in demand], 1
    ratios = [value.as_integer_ratio() for value in map(float, [*supply, *demand])]
    denominator = max(den for _, den in ratios)  # all powers of two: the largest is a multiple of the rest
    scaled = [num * (denominator // den) for num, den in ratios]
    sources, sinks = scaled[: len(supply)], scaled[len(supply) :]
    excess = sum(sources) - sum(sinks)
    lighter = sinks if excess > 0 else sources
    lighter[lighter.index(max(lighter))] += abs(excess)
    return sources, sinks, denominator


def northwest_corner(supply: list[int], demand: list[int]) -> dict[Cell, int]:
    """A first basic feasible plan: its ``n + m - 1`` basic cells and their flows (the north-west corner rule).

    Starting at cell ``(0, 0)``, send as much as the current source has left and the
    current sink still needs, then step down (the source is empty) or right (the sink is
    full); exactly one step per cell, so the cells form a staircase from ``(0, 0)`` to
    ``(n - 1, m - 1)``: a spanning tree, even when a step moves nothing (a *degenerate*
    basic cell, kept in the basis with flow 0).
    """
    n, m = len(supply), len(demand)
    flow: dict[Cell, int] = {}
    i = j = 0
    left, needed = supply[0], demand[0]
    while True:
        amount = min(left, needed)
        flow[i, j] = amount
        if i == n - 1 and j == m - 1:
            return flow
        if j == m - 1 or (i < n - 1 and left <= needed):
            needed -= amount
            i += 1
            left = supply[i]
        else:
            left -= amount
            j += 1
            needed = demand[j]


def _tree(basis: Iterable[Cell], n: int, m: int) -> list[list[int]]:
    """The basis as adjacency lists over ``n + m`` nodes: sources ``0..n-1``, sinks ``n..n+m-1``."""
    neighbours: list[list[int]] = [[] for _ in range(n + m)]
    for i, j in basis:
        neighbours[i].append(n + j)
        neighbours[n + j].append(i)
    return neighbours


def _potentials(cost: np.ndarray, basis: Iterable[Cell]) -> tuple[np.ndarray, np.ndarray]:
    """``u``, ``v`` with ``u[i] + v[j] == cost[i, j]`` on every basic cell and ``u[0] == 0`` (a walk of the tree)."""
    n, m = cost.shape
    neighbours = _tree(basis, n, m)
    price = np.zeros(n + m)
    seen = [False] * (n + m)
    seen[0] = True
    queue = deque([0])
    while queue:
        node = queue.popleft()
        for other in neighbours[node]:
            if not seen[other]:
                seen[other] = True
                i, j = (node, other - n) if node < n else (other, node - n)
                price[other] = cost[i, j] - price[node]
                queue.append(other)
    return price[:n], price[n:]


def _cycle(basis: Iterable[Cell], entering: Cell, n: int, m: int) -> list[Cell]:
    """The cycle the entering cell closes with the basis: the entering cell first, then alternately losing and gaining.

    The tree path from source ``i`` to sink ``j`` is found by a breadth-first walk from
    ``i``; walking it back from ``j`` lists its cells, the first of which (in sink ``j``'s
    column) must lose what the entering cell gains.
    """
    i, j = entering
    neighbours = _tree(basis, n, m)
    parent = {i: i}
    queue = deque([i])
    while n + j not in parent:
        node = queue.popleft()
        for other in neighbours[node]:
            if other not in parent:
                parent[other] = node
                queue.append(other)
    cells = [entering]
    node = n + j
    while node != i:
        previous = parent[node]
        cells.append((previous, node - n) if previous < n else (node, previous - n))
        node = previous
    return cells


def _transportation_simplex(supply: np.ndarray, demand: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """An optimal plan for positive masses of equal sum (the method of the module docstring)."""
    n, m = cost.shape
    sources, sinks, denominator = exact_masses(supply, demand)
    flow = northwest_corner(sources, sinks)  # the basic cells and their exact flows
    tolerance = RELATIVE_TOLERANCE * float(np.abs(cost).max())
    bland = False  # after a degenerate pivot: Bland's rule until the plan moves
    for _ in range(MAX_PIVOTS):
        u, v = _potentials(cost, flow)
        reduced = cost - u[:, np.newaxis] - v[np.newaxis, :]
        improving = reduced < -tolerance
        if not improving.any():
            break
        index = int(np.argmax(improving)) if bland else int(np.argmin(reduced))  # argmax: the first True
        entering = divmod(index, m)
        cycle = _cycle(flow, entering, n, m)
        losing = cycle[1::2]
        theta = min(flow[cell] for cell in losing)
        leaving = min(cell for cell in losing if flow[cell] == theta)  # the smallest index among ties (Bland)
        flow[entering] = 0
        for cell in cycle[0::2]:
            flow[cell] += theta
        for cell in losing:
            flow[cell] -= theta
        del flow[leaving]
        bland = theta == 0
    else:
        raise RuntimeError(f"the transportation simplex did not finish in {MAX_PIVOTS} pivots")
    plan = np.zeros((n, m))
    for cell, amount in flow.items():
        plan[cell] = amount / denominator  # int / int: correctly rounded
    return plan
