package mutants

import (
	rt "github.com/aiterspec/aiterspec/reference"
)

// Small Go objects the mutants hand to the interpreter. They take part in
// the protocol through the reference library's slot interfaces.

// ready is an awaitable that finishes at once with v, or raises err.
func ready(v rt.Object, err error) rt.Object { return &readyAwaitable{v: v, err: err} }

type readyAwaitable struct {
	v   rt.Object
	err error
}

func (a *readyAwaitable) Await() (rt.Object, error) { return a, nil }

// AmSend finishes the await at once.
func (a *readyAwaitable) AmSend(rt.Object) (rt.Object, bool, error) {
	if a.err != nil {
		return nil, false, a.err
	}
	if a.v == nil {
		return rt.None, false, nil
	}
	return a.v, false, nil
}

// delegate is an async iterator over an async generator that is not the
// generator itself.
type delegate struct{ g *rt.AsyncGenerator }

func (d delegate) AIter() (rt.Object, error) { return d, nil }
func (d delegate) ANext() (rt.Object, error) { return rt.ANext(d.g) }

// selfIterable gives async for an __aiter__ that returns x itself.
type selfIterable struct{ x rt.Object }

func (s selfIterable) AIter() (rt.Object, error) { return s.x, nil }

// mapped is iterable's async iteration with each __anext__ result passed
// through each.
type mapped struct {
	iterable rt.Object
	getAIter func(rt.Object) (rt.Object, error)
	each     func(rt.Object) rt.Object
	it       rt.Object
}

func (m *mapped) AIter() (rt.Object, error) {
	it, err := m.getAIter(m.iterable)
	m.it = it
	return m, err
}

func (m *mapped) ANext() (rt.Object, error) {
	x, err := rt.ANext(m.it)
	if err != nil {
		return nil, err
	}
	return m.each(x), nil
}

// prefetching is iterable's async iteration with the next __anext__
// started in a task as soon as an item is handed out.
type prefetching struct {
	r        *rt.Runtime
	iterable rt.Object
	getAIter func(rt.Object) (rt.Object, error)
	it       rt.Object
	next     *rt.Task
}

func (p *prefetching) AIter() (rt.Object, error) {
	it, err := p.getAIter(p.iterable)
	p.it = it
	return p, err
}

func (p *prefetching) step(fr *rt.Frame) (rt.Object, error) {
	aw, err := rt.ANext(p.it)
	if err != nil {
		return nil, err
	}
	return fr.Await(aw)
}

func (p *prefetching) ANext() (rt.Object, error) {
	return p.r.NewCoroutine("prefetch", "prefetch", func(fr *rt.Frame) (rt.Object, error) {
		var v rt.Object
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
type listIter struct{ items []rt.Object }

func (l *listIter) AIter() (rt.Object, error) { return l, nil }

func (l *listIter) ANext() (rt.Object, error) {
	if len(l.items) == 0 {
		return nil, rt.NewException(rt.ExcStopAsyncIteration)
	}
	v := l.items[0]
	l.items = l.items[1:]
	return ready(v, nil), nil
}
