package reference

// The optional-slot interfaces. A Go type takes part in a protocol by
// implementing the matching interface, the way a C type fills a slot
// of its PyTypeObject; not implementing it is the empty slot. Objects
// of classes made by [NewClass] never use these: their slots are the
// special methods present in the class dictionary (see [Class.Dict]).
//
// All slot methods run on the goroutine of the caller, which may be a
// coroutine's goroutine; none may block on another goroutine.

// AsyncIterable is the am_aiter slot (__aiter__).
type AsyncIterable interface {
	AIter() (Object, error)
}

// AsyncIterator is the am_anext slot (__anext__). ANext returns an
// awaitable; raising StopAsyncIteration from ANext itself ends an
// async for, as a plain-def __anext__ raising it does.
type AsyncIterator interface {
	ANext() (Object, error)
}

// Awaitable is the am_await slot (__await__). Await must return an
// iterator: a value implementing [Iterator] or [Sender], or one of
// this package's generators.
type Awaitable interface {
	Await() (Object, error)
}

// Iterable is the tp_iter slot (__iter__).
type Iterable interface {
	Iter() (Object, error)
}

// Iterator is the tp_iternext slot (__next__). Next returns ok=false
// when exhausted; returning a StopIteration error is also accepted and
// gives its value to a yield from.
type Iterator interface {
	Next() (v Object, ok bool, err error)
}

// Sender is the am_send slot, what await and yield from use to resume
// an iterator. AmSend returns (v, true, nil) when the iterator yields
// v (suspends), (v, false, nil) when it returns v (finishes), or an
// error. An awaitable's iterator that implements Sender is resumed
// only through AmSend, so it may finish without allocating.
type Sender interface {
	AmSend(arg Object) (v Object, yielded bool, err error)
}

// Thrower lets await and yield from deliver an exception into an
// iterator (the throw method). Results are as for [Sender]. An
// iterator without it has thrown exceptions raised at the await.
type Thrower interface {
	AmThrow(exc *Exception) (v Object, yielded bool, err error)
}

// Closer lets await and yield from close an iterator when the frame
// awaiting it is closed (the close method).
type Closer interface {
	AmClose() error
}
