// Package all registers every adapter: import it for its side effect,
//
//	import _ "github.com/aiterspec/aiterspec/adapters/all"
//
// and adapters.Open can open any of them by name.
package all

import (
	_ "github.com/aiterspec/aiterspec/adapters/cython" // cython (Cython-compiled modules)
	_ "github.com/aiterspec/aiterspec/adapters/exec"   // exec:COMMAND, any protocol harness
	_ "github.com/aiterspec/aiterspec/adapters/interp" // reference, the default
	_ "github.com/aiterspec/aiterspec/adapters/node"   // micropython, pyodide, brython (Node.js)
	_ "github.com/aiterspec/aiterspec/adapters/python" // cpython, pypy
)
