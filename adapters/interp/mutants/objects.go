package mutants

import (
	"github.com/aiterspec/aiterspec/reference"
)

// Small Go objects the mutants hand to the interpreter. They take part in
// the protocol through the reference library's slot interfaces.

// ready is an awaitable that finishes at once with v, or raises err.
func ready(v reference.Object, err error) reference.Object { return &readyAwaitable{v: v, err: err} }

type readyAwaitable struct {
	v   reference.Object
	err error
}

func (a *readyAwaitable) Await() (reference.Object, error) { return a, nil }

// AmSend finishes the await at once.
func (a *readyAwaitable) AmSend(reference.Object) (reference.Object, bool, error) {
	if a.err != nil {
		return nil, false, a.err
	}
	if a.v == nil {
		return reference.None, false, nil
	}
	return a.v, false, nil
}

// delegate is an async iterator over an async generator that is not the
// generator itself.
type delegate struct{ g *reference.AsyncGenerator }

func (d delegate) AIter() (reference.Object, error) { return d, nil }
func (d delegate) ANext() (reference.Object, error) { return reference.ANext(d.g) }

// selfIterable gives async for an __aiter__ that returns x itself.
type selfIterable struct{ x reference.Object }

func (s selfIterable) AIter() (reference.Object, error) { return s.x, nil }

// mapped is iterable's async iteration with each __anext__ result passed
// through each.
type mapped struct {
	iterable reference.Object
	getAIter func(reference.Object) (reference.Object, error)
	each     func(reference.Object) reference.Object
	it       reference.Object
}

func (m *mapped) AIter() (reference.Object, error) {
	it, err := m.getAIter(m.iterable)
	m.it = it
	return m, err
}

func (m *mapped) ANext() (reference.Object, error) {
	x, err := reference.ANext(m.it)
	if err != nil {
		return nil, err
	}
	return m.each(x), nil
}

// prefetching is iterable's async iteration with the next __anext__
// started in a task as soon as an item is handed out.
type prefetching struct {
	r        *reference.Runtime
	iterable reference.Object
	getAIter func(reference.Object) (reference.Object, error)
	it       reference.Object
	next     *reference.Task
}

func (p *prefetching) AIter() (reference.Object, error) {
	it, err := p.getAIter(p.iterable)
	p.it = it
	return p, err
}

func (p *prefetching) step(fr *reference.Frame) (reference.Object, error) {
	aw, err := reference.ANext(p.it)
	if err != nil {
		return nil, err
	}
	return fr.Await(aw)
}

func (p *prefetching) ANext() (reference.Object, error) {
	return p.r.NewCoroutine("prefetch", "prefetch", func(fr *reference.Frame) (reference.Object, error) {
		var v reference.Object
		var err error
		if p.next != nil {
			v, err = fr.Await(p.next)
		} else {
			v, err = p.step(fr)
		}
		if err != nil {
			return nil, err
		}
		p.next, err = p.r.CreateTask(p.r.NewCoroutine("prefetch", "prefetch", p.step))
		if err != nil {
			return nil, err
		}
		return v, nil
	}), nil
}

// listIter is an async iterator over items.
type listIter struct{ items []reference.Object }

func (l *listIter) AIter() (reference.Object, error) { return l, nil }

func (l *listIter) ANext() (reference.Object, error) {
	if len(l.items) == 0 {
		return nil, reference.NewException(reference.ExcStopAsyncIteration)
	}
	v := l.items[0]
	l.items = l.items[1:]
	return ready(v, nil), nil
}
