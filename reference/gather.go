package reference

// gathering is the state of a _GatheringFuture.
type gathering struct {
	children        []Object
	cancelRequested bool
}

func (g *gathering) cancel(f *Future, msg Object) bool {
	if f.state != futurePending {
		return false
	}
	ret := false
	for _, c := range g.children {
		if Cancel(c, msg) {
			ret = true
		}
	}
	if ret {
		g.cancelRequested = true
	}
	return ret
}

// Gather is asyncio.gather(*aws, return_exceptions=...) on the running
// loop: coroutines and other awaitables are wrapped in tasks in
// argument order (the same object twice shares one task); the result
// list keeps argument order. Without return_exceptions the first
// exception (or cancellation) of a child becomes the gathering
// future's; with it, exceptions are results, a cancelled child giving
// a CancelledError with an empty message. Cancelling the gathering future cancels the
// children. No running loop gives "RuntimeError: no running event
// loop".
func (rt *Runtime) Gather(aws []Object, returnExceptions bool) (*Future, error) {
	loop := rt.loop
	if loop == nil {
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	outer, exc := loop.gather(aws, returnExceptions)
	return outer, errOf(exc)
}

func (l *Loop) gather(aws []Object, returnExceptions bool) (*Future, *Exception) {
	if len(aws) == 0 {
		outer := l.CreateFuture()
		outer.SetResult(NewList())
		return outer, nil
	}
	type pair struct{ arg, fut Object }
	var seen []pair
	children := make([]Object, 0, len(aws))
	var outer *Future
	nfuts, nfinished := 0, 0
	var loop *Loop
	done := func(fut Object) error {
		nfinished++
		ff := futureOf(fut)
		if outer == nil || outer.Done() {
			if !ff.Cancelled() {
				ff.Exception()
			}
			return nil
		}
		if !returnExceptions {
			if ff.Cancelled() {
				outer.SetException(ff.makeCancelledError())
				return nil
			}
			if e, _ := ff.Exception(); e != nil {
				outer.SetException(e)
				return nil
			}
		}
		if nfinished == nfuts {
			results := make([]Object, len(children))
			for i, c := range children {
				cf := futureOf(c)
				if cf.Cancelled() {
					msg := Object("")
					if cf.cancelMessage != nil && !isNone(cf.cancelMessage) {
						msg = cf.cancelMessage
					}
					results[i] = NewException(ExcCancelledError, msg)
				} else if e, _ := cf.Exception(); e != nil {
					results[i] = e
				} else {
					results[i] = cf.value
				}
			}
			if outer.gather.cancelRequested {
				outer.SetException(ff.makeCancelledError())
			} else {
				outer.SetResult(NewList(results...))
			}
		}
		return nil
	}
	for _, arg := range aws {
		var fut Object
		for _, p := range seen {
			if Is(p.arg, arg) {
				fut = p.fut
			}
		}
		if fut == nil {
			target := loop
			if target == nil {
				target = l
			}
			var exc *Exception
			fut, exc = target.ensureFuture(arg, loop != nil)
			if exc != nil {
				return nil, exc
			}
			if loop == nil {
				loop = futureOf(fut).loop
			}
			nfuts++
			seen = append(seen, pair{arg, fut})
			futureOf(fut).AddDoneCallback(done)
		}
		children = append(children, fut)
	}
	outer = &Future{loop: loop, cls: GatheringFutureType, gather: &gathering{children: children}}
	outer.self = outer
	return outer, nil
}

// ensureFuture is asyncio.ensure_future; checkLoop refuses a future of
// another loop.
func (l *Loop) ensureFuture(o Object, checkLoop bool) (Object, *Exception) {
	if f := futureOf(o); f != nil {
		if checkLoop && f.loop != l {
			return nil, Errorf(ExcValueError, "The future belongs to a different loop than the one specified as the loop argument")
		}
		return o, nil
	}
	if !IsCoroutine(o) {
		if !IsAwaitable(o) {
			return nil, Errorf(ExcTypeError, "An asyncio.Future, a coroutine or an awaitable is required")
		}
		o = l.rt.wrapAwaitable(o)
	}
	t, exc := l.createTask(o)
	if exc != nil {
		return nil, exc
	}
	return t, nil
}

// wrapAwaitable is asyncio's _wrap_awaitable, a types.coroutine
// generator doing yield from awaitable.__await__().
func (rt *Runtime) wrapAwaitable(aw Object) *Generator {
	g := rt.NewGenerator("_wrap_awaitable", "_wrap_awaitable", func(f *Frame) (Object, error) {
		it, has, exc := awaitSlot(aw)
		if !has {
			return nil, Errorf(ExcAttributeError, "'%s' object has no attribute '__await__'", TypeName(aw))
		}
		if exc != nil {
			return nil, exc
		}
		return f.YieldFrom(it)
	})
	g.IterableCoroutine = true
	return g
}

// EnsureFuture is asyncio.ensure_future(o) on the running loop.
func (rt *Runtime) EnsureFuture(o Object) (Object, error) {
	if rt.loop == nil {
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	v, exc := rt.loop.ensureFuture(o, true)
	return v, errOf(exc)
}
