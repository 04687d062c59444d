"""The layers hold: connectors at the edge, stages in the middle, the report reading what a run wrote
(the import-linter contracts in pyproject.toml), and no two modules import each other, even lazily."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 kept, 0 broken" in done.stdout


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_cycles_finds_a_cycle_it_is_shown():
    imports = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    graph = SimpleNamespace(modules=set(imports), find_modules_directly_imported_by=imports.__getitem__)
    assert cycles(graph) == [["a", "b"]]


def test_no_module_imports_one_that_imports_it_back():
    assert cycles(grimp.build_graph("align", "align_connectors")) == []
