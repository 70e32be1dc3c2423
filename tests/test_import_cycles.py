"""No import cycles between the project's modules (#25 item 6), function-level imports included.

import-linter's layers contract keeps the packages in one direction; this keeps modules within a
package from leaning on each other both ways (grimp, import-linter's own graph builder)."""

from __future__ import annotations

import grimp

PACKAGES = ("tools", "palettes", "reference", "aesthetics", "agent", "optimize", "vibesynth")


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    cycles = sorted(
        {
            tuple(sorted((module, imported)))
            for module in graph.modules
            for imported in graph.find_modules_directly_imported_by(module)
            if graph.find_shortest_chain(importer=imported, imported=module)
        }
    )
    assert cycles == [], f"import cycles (break them by moving the shared piece down a layer): {cycles}"
