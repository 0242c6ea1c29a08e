package reference

import "fmt"

// Generator is a generator object, what calling a def containing
// yield returns; the body calls [Frame.Yield] and [Frame.YieldFrom].
// It is how __await__ is usually written: a bare yield inside
// __await__ reaches the asyncio Task as None, which reschedules the
// task after one loop turn (catalogue X04).
//
// After the body finishes, next and send give StopIteration forever and
// throw re-raises what is thrown. Resuming it while its body runs gives
// "ValueError: generator already executing".
type Generator struct {
	// Name and Qualname are __name__ and __qualname__.
	Name, Qualname string
	// Code is the code object of the function that made it (ag_code,
	// cr_code, gi_code); nil when none was given.
	Code Object
	// IterableCoroutine is the CO_ITERABLE_COROUTINE flag that
	// types.coroutine sets: such a generator may be awaited and may
	// yield from a coroutine.
	IterableCoroutine bool
	frame             Frame
}

// NewGenerator returns a generator whose body is body; it does not run
// body. The body's return value becomes StopIteration.value.
func (rt *Runtime) NewGenerator(name, qualname string, body func(f *Frame) (Object, error)) *Generator {
	g := &Generator{Name: name, Qualname: qualname}
	g.frame = Frame{rt: rt, owner: g, kind: kindGenerator, coroBody: body}
	return g
}

// PyType implements [Typer].
func (g *Generator) PyType() *Class { return GeneratorType }

// Repr is repr(g).
func (g *Generator) Repr() string {
	return fmt.Sprintf("<generator object %s at %p>", g.Qualname, g)
}

// Iter implements [Iterable]: a generator is its own iterator.
func (g *Generator) Iter() (Object, error) { return g, nil }

// Next implements [Iterator] (next(g)): ok is false once the body has
// finished; a return value other than None arrives as a StopIteration
// error carrying it.
func (g *Generator) Next() (Object, bool, error) {
	o := g.frame.sendEx(None, nil, false, false)
	switch o.kind {
	case outYield:
		return o.val, true, nil
	case outReturn:
		if !isNone(o.val) {
			return nil, false, stopIteration(o.val)
		}
		return nil, false, nil
	}
	return nil, false, o.exc
}

// Send is generator.send(v); see [Coroutine.Send] ("just-started
// generator" in the message).
func (g *Generator) Send(v Object) (Object, error) {
	return pySend(g.frame.sendEx(v, nil, false, false), false)
}

// Throw is generator.throw(typ[, val[, tb]]). On a finished generator
// it raises the exception itself (catalogue T11).
func (g *Generator) Throw(typ Object, rest ...Object) (Object, error) {
	th, bad := rawThrow(typ, rest)
	if bad != nil {
		return nil, bad
	}
	return pySend(g.frame.throwRaw(th, true), false)
}

// Close is generator.close(); see [Coroutine.Close].
func (g *Generator) Close() error { return errOf(g.frame.close()) }

// Running is gi_running.
func (g *Generator) Running() bool { return g.frame.state == frameExecuting }

// Suspended is gi_suspended.
func (g *Generator) Suspended() bool { return g.frame.state == frameSuspended }

// FrameObject is gi_frame: the frame until the body finishes, then None.
func (g *Generator) FrameObject() Object { return frameOrNone(&g.frame) }

// YieldingFrom is gi_yieldfrom: the iterator delegated to, or None.
func (g *Generator) YieldingFrom() Object { return orNone(g.frame.yf) }

// Done reports whether the body has finished.
func (g *Generator) Done() bool { return g.frame.state == frameCompleted }
