package reference

// The Python-visible methods and attributes of the builtin types, for
// getattr/hasattr, calls such as g.asend(v) or aw.send(None), and
// collections.abc checks. Go code calls the methods directly instead.

// defMethod adds a method taking exactly nargs arguments (-1: any);
// wrong counts give CPython's METH_NOARGS / METH_O messages.
func defMethod(c *Class, name string, nargs int, fn func(self Object, args []Object) (Object, error)) {
	qual := c.Name + "." + name
	c.Dict[name] = &Function{Name: name, Qualname: qual, Fn: func(args []Object) (Object, error) {
		if len(args) == 0 {
			return nil, Errorf(ExcTypeError, "descriptor '%s' of '%s' object needs an argument", name, c.Name)
		}
		self, rest := args[0], args[1:]
		switch {
		case nargs == 0 && len(rest) != 0:
			return nil, Errorf(ExcTypeError, "%s() takes no arguments (%d given)", qual, len(rest))
		case nargs == 1 && len(rest) != 1:
			return nil, Errorf(ExcTypeError, "%s() takes exactly one argument (%d given)", qual, len(rest))
		}
		return fn(self, rest)
	}}
}

func defProp(c *Class, name string, get func(self Object) Object) {
	c.Dict[name] = &Property{Get: func(self Object) (Object, error) { return get(self), nil }}
}

// defMember adds a read-only member (CPython 3.11's READONLY members:
// ag_running, ag_code, cr_code, cr_origin, gi_code).
func defMember(c *Class, name string, get func(self Object) Object) {
	c.Dict[name] = &Property{Get: func(self Object) (Object, error) { return get(self), nil }, Member: true}
}

// defName adds a writable str attribute (__name__, __qualname__) whose
// value get and set reach.
func defName(c *Class, name string, get func(self Object) *string) {
	c.Dict[name] = &Property{
		Get: func(self Object) (Object, error) { return *get(self), nil },
		Set: func(self, v Object) error {
			s, ok := v.(string)
			if !ok {
				return Errorf(ExcTypeError, "%s must be set to a string object", name)
			}
			*get(self) = s
			return nil
		},
	}
}

// codeOf is what a generator's ag_code/cr_code/gi_code gives.
func codeOf(code Object) Object {
	if code == nil {
		return None
	}
	return code
}

func wrapErr(err error) (Object, error) { return None, err }

// throwMethod checks throw's 1 to 3 arguments.
func throwMethod(c *Class, throw func(self Object, typ Object, rest []Object) (Object, error)) {
	defMethod(c, "throw", -1, func(self Object, args []Object) (Object, error) {
		if len(args) == 0 {
			return nil, Errorf(ExcTypeError, "throw expected at least 1 argument, got 0")
		}
		return throw(self, args[0], args[1:])
	})
}

func selfIter(c *Class) {
	defMethod(c, "__iter__", 0, func(self Object, _ []Object) (Object, error) { return self, nil })
	defMethod(c, "__next__", 0, func(self Object, _ []Object) (Object, error) {
		v, yielded, exc := iterNext(self)
		if exc != nil {
			return nil, exc
		}
		if !yielded {
			return nil, stopIteration(v)
		}
		return v, nil
	})
}

func selfAwait(c *Class) {
	defMethod(c, "__await__", 0, func(self Object, _ []Object) (Object, error) { return self, nil })
}

func init() {
	ObjectType.Dict["__init__"] = &Function{Name: "__init__", Qualname: "object.__init__",
		Fn: func([]Object) (Object, error) { return None, nil }}
	ExcBaseException.Dict["__init__"] = &Function{Name: "__init__", Qualname: "BaseException.__init__",
		Fn: func(args []Object) (Object, error) {
			if e, ok := args[0].(*Exception); ok {
				e.Args = append([]Object(nil), args[1:]...)
			}
			return None, nil
		}}

	defProp(FunctionType, "__name__", func(s Object) Object { return s.(*Function).Name })
	defProp(FunctionType, "__qualname__", func(s Object) Object { return s.(*Function).Qualname })
	FunctionType.Dict["__code__"] = &Property{Get: func(s Object) (Object, error) {
		if f := s.(*Function); f.Code != nil {
			return f.Code, nil
		}
		return nil, Errorf(ExcAttributeError, "'%s' object has no attribute '__code__'", TypeName(s))
	}}

	c := AsyncGeneratorType
	defMethod(c, "__aiter__", 0, func(self Object, _ []Object) (Object, error) { return self, nil })
	defMethod(c, "__anext__", 0, func(self Object, _ []Object) (Object, error) { return self.(*AsyncGenerator).ANext() })
	defMethod(c, "asend", 1, func(self Object, a []Object) (Object, error) { return self.(*AsyncGenerator).ASend(a[0]) })
	defMethod(c, "athrow", -1, func(self Object, a []Object) (Object, error) { return self.(*AsyncGenerator).AThrow(a...) })
	defMethod(c, "aclose", 0, func(self Object, _ []Object) (Object, error) { return self.(*AsyncGenerator).AClose() })
	defMember(c, "ag_running", func(s Object) Object { return s.(*AsyncGenerator).Running() })
	defProp(c, "ag_frame", func(s Object) Object { return s.(*AsyncGenerator).FrameObject() })
	defProp(c, "ag_await", func(s Object) Object { return s.(*AsyncGenerator).Awaiting() })
	defMember(c, "ag_code", func(s Object) Object { return codeOf(s.(*AsyncGenerator).Code) })
	defName(c, "__name__", func(s Object) *string { return &s.(*AsyncGenerator).Name })
	defName(c, "__qualname__", func(s Object) *string { return &s.(*AsyncGenerator).Qualname })

	for _, c := range []*Class{ASendType, AThrowType, ANextAwaitableType} {
		selfIter(c)
		selfAwait(c)
	}
	defMethod(ASendType, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*ASend).Send(a[0]) })
	throwMethod(ASendType, func(s, t Object, r []Object) (Object, error) { return s.(*ASend).Throw(t, r...) })
	defMethod(ASendType, "close", 0, func(s Object, _ []Object) (Object, error) { return wrapErr(s.(*ASend).Close()) })
	defMethod(AThrowType, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*AThrow).Send(a[0]) })
	throwMethod(AThrowType, func(s, t Object, r []Object) (Object, error) { return s.(*AThrow).Throw(t, r...) })
	defMethod(AThrowType, "close", 0, func(s Object, _ []Object) (Object, error) { return wrapErr(s.(*AThrow).Close()) })
	defMethod(ANextAwaitableType, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*ANextAwaitable).Send(a[0]) })
	throwMethod(ANextAwaitableType, func(s, t Object, r []Object) (Object, error) { return s.(*ANextAwaitable).Throw(t, r...) })
	defMethod(ANextAwaitableType, "close", 0, func(s Object, _ []Object) (Object, error) {
		return wrapErr(s.(*ANextAwaitable).Close())
	})

	c = CoroutineType
	defMethod(c, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*Coroutine).Send(a[0]) })
	throwMethod(c, func(s, t Object, r []Object) (Object, error) { return s.(*Coroutine).Throw(t, r...) })
	defMethod(c, "close", 0, func(s Object, _ []Object) (Object, error) { return wrapErr(s.(*Coroutine).Close()) })
	defMethod(c, "__await__", 0, func(s Object, _ []Object) (Object, error) { return s.(*Coroutine).Await() })
	defProp(c, "cr_running", func(s Object) Object { return s.(*Coroutine).Running() })
	defProp(c, "cr_suspended", func(s Object) Object { return s.(*Coroutine).Suspended() })
	defProp(c, "cr_frame", func(s Object) Object { return s.(*Coroutine).FrameObject() })
	defProp(c, "cr_await", func(s Object) Object { return s.(*Coroutine).Awaiting() })
	defMember(c, "cr_code", func(s Object) Object { return codeOf(s.(*Coroutine).Code) })
	defMember(c, "cr_origin", func(Object) Object { return None })
	defName(c, "__name__", func(s Object) *string { return &s.(*Coroutine).Name })
	defName(c, "__qualname__", func(s Object) *string { return &s.(*Coroutine).Qualname })

	c = CoroutineWrapperType
	selfIter(c)
	defMethod(c, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*CoroutineWrapper).Send(a[0]) })
	throwMethod(c, func(s, t Object, r []Object) (Object, error) { return s.(*CoroutineWrapper).Throw(t, r...) })
	defMethod(c, "close", 0, func(s Object, _ []Object) (Object, error) { return wrapErr(s.(*CoroutineWrapper).Close()) })

	c = GeneratorType
	selfIter(c)
	defMethod(c, "send", 1, func(s Object, a []Object) (Object, error) { return s.(*Generator).Send(a[0]) })
	throwMethod(c, func(s, t Object, r []Object) (Object, error) { return s.(*Generator).Throw(t, r...) })
	defMethod(c, "close", 0, func(s Object, _ []Object) (Object, error) { return wrapErr(s.(*Generator).Close()) })
	defProp(c, "gi_running", func(s Object) Object { return s.(*Generator).Running() })
	defProp(c, "gi_suspended", func(s Object) Object { return s.(*Generator).Suspended() })
	defProp(c, "gi_frame", func(s Object) Object { return s.(*Generator).FrameObject() })
	defProp(c, "gi_yieldfrom", func(s Object) Object { return s.(*Generator).YieldingFrom() })
	defMember(c, "gi_code", func(s Object) Object { return codeOf(s.(*Generator).Code) })
	defName(c, "__name__", func(s Object) *string { return &s.(*Generator).Name })
	defName(c, "__qualname__", func(s Object) *string { return &s.(*Generator).Qualname })

	for _, c := range []*Class{ListIteratorType, TupleIteratorType, StrIteratorType, DictKeyIteratorType, SetIteratorType, iteratorType, FutureIterType} {
		selfIter(c)
	}
	defMethod(FutureIterType, "send", 1, func(s Object, a []Object) (Object, error) {
		return pyResult(s.(*futureIter).send(a[0]))
	})
	throwMethod(FutureIterType, func(s, t Object, r []Object) (Object, error) {
		th, bad := rawThrow(t, r)
		if bad != nil {
			return nil, bad
		}
		return nil, futureIterThrow(th)
	})
	defMethod(FutureIterType, "close", 0, func(s Object, _ []Object) (Object, error) {
		s.(*futureIter).fut = nil
		return None, nil
	})
	for _, c := range []*Class{ListType, DictType, SetType} {
		defMethod(c, "__iter__", 0, func(s Object, _ []Object) (Object, error) { return Iter(s) })
	}
	// tuple's methods also serve instances of classes deriving from it,
	// whose items are in Instance.Tuple.
	defMethod(TupleType, "__iter__", 0, func(s Object, _ []Object) (Object, error) {
		t, err := tupleSelf(s, "__iter__")
		if err != nil {
			return nil, err
		}
		return &seqIterator{items: &t.Items, cls: TupleIteratorType}, nil
	})
	defMethod(TupleType, "__len__", 0, func(s Object, _ []Object) (Object, error) {
		t, err := tupleSelf(s, "__len__")
		if err != nil {
			return nil, err
		}
		return len(t.Items), nil
	})
	defMethod(TupleType, "__getitem__", 1, func(s Object, a []Object) (Object, error) {
		t, err := tupleSelf(s, "__getitem__")
		if err != nil {
			return nil, err
		}
		v, exc := getItem(t, a[0])
		return v, errOf(exc)
	})
	defMethod(ListType, "append", 1, func(s Object, a []Object) (Object, error) {
		s.(*List).Append(a[0])
		return None, nil
	})
	defMethod(SetType, "add", 1, func(s Object, a []Object) (Object, error) { return wrapErr(s.(*Set).Add(a[0])) })

	for _, c := range []*Class{FutureType, TaskType, GatheringFutureType} {
		futureMethods(c)
	}
	c = TaskType
	defMethod(c, "cancel", -1, func(s Object, a []Object) (Object, error) { return s.(*Task).Cancel(optArg(a)), nil })
	defMethod(c, "get_name", 0, func(s Object, _ []Object) (Object, error) { return s.(*Task).Name(), nil })
	defMethod(c, "get_coro", 0, func(s Object, _ []Object) (Object, error) { return s.(*Task).Coro(), nil })
	defMethod(c, "cancelling", 0, func(s Object, _ []Object) (Object, error) { return s.(*Task).Cancelling(), nil })
	defMethod(c, "uncancel", 0, func(s Object, _ []Object) (Object, error) { return s.(*Task).Uncancel(), nil })
}

// tupleSelf is the tuple a method of tuple was called on: a tuple, or
// an instance of a class deriving from tuple.
func tupleSelf(s Object, name string) (*Tuple, error) {
	switch v := s.(type) {
	case *Tuple:
		return v, nil
	case *Instance:
		if v.Tuple != nil {
			return v.Tuple, nil
		}
	}
	return nil, Errorf(ExcTypeError, "descriptor '%s' requires a 'tuple' object but received a '%s'", name, TypeName(s))
}

func optArg(a []Object) Object {
	if len(a) > 0 {
		return a[0]
	}
	return None
}

func futureMethods(c *Class) {
	fut := futureOf
	selfAwaitFuture := func(s Object, _ []Object) (Object, error) { return &futureIter{fut: fut(s)}, nil }
	defMethod(c, "__await__", 0, selfAwaitFuture)
	defMethod(c, "__iter__", 0, selfAwaitFuture)
	defMethod(c, "result", 0, func(s Object, _ []Object) (Object, error) { return fut(s).Result() })
	defMethod(c, "exception", 0, func(s Object, _ []Object) (Object, error) {
		e, err := fut(s).Exception()
		if err != nil {
			return nil, err
		}
		return excOrNone(e), nil
	})
	defMethod(c, "done", 0, func(s Object, _ []Object) (Object, error) { return fut(s).Done(), nil })
	defMethod(c, "cancelled", 0, func(s Object, _ []Object) (Object, error) { return fut(s).Cancelled(), nil })
	defMethod(c, "set_result", 1, func(s Object, a []Object) (Object, error) { return wrapErr(fut(s).SetResult(a[0])) })
	defMethod(c, "set_exception", 1, func(s Object, a []Object) (Object, error) { return wrapErr(fut(s).SetException(a[0])) })
	defMethod(c, "cancel", -1, func(s Object, a []Object) (Object, error) { return Cancel(s, optArg(a)), nil })
	defMethod(c, "get_loop", 0, func(s Object, _ []Object) (Object, error) { return fut(s).loop, nil })
	defMethod(c, "add_done_callback", 1, func(s Object, a []Object) (Object, error) {
		fn := a[0]
		fut(s).AddDoneCallback(func(f Object) error {
			_, exc := call(fn, []Object{f})
			return errOf(exc)
		})
		return None, nil
	})
	defProp(c, "_asyncio_future_blocking", func(s Object) Object { return fut(s).blocking })
}
