// Package scenario is aiterspec's language-neutral test case: a small
// program written in a subset of Python, encoded as JSON, that every
// implementation under test runs with its own native constructs.
//
// A [Scenario] has module-level definitions ([Scenario.Module]: functions,
// async generators, classes) and a main body ([Scenario.Main]) that an
// adapter runs inside `asyncio.run(main())` (or synchronously, or as a
// verbatim source program; see [Mode]). Running it yields an ordered list
// of [Observation]s: values a statement observed, exceptions that escaped a
// top-level statement of main, and events the program emitted.
//
// The model is a tree of [Stmt] and [Expr] nodes, each with a Kind and the
// fields that kind allows. The JSON encoding is the wire format of the
// process protocol; [Decode] rejects unknown kinds and fields with an error
// that names the JSON path, e.g. `main[2].kind: unknown statement "anxt"`.
// FORMAT.md in this directory is the normative description of every node:
// what it means and how a Python harness renders it as source text.
package scenario
