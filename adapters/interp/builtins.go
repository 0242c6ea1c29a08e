package interp

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// The names table of FORMAT.md: builtins, exception classes, builtin
// types, and the modules asyncio, gc and collections (with
// collections.abc) that a harness imports into the scenario's globals.

// exceptionClasses are the builtin exception classes by name.
var exceptionClasses = []*reference.Class{
	reference.ExcBaseException, reference.ExcException, reference.ExcStopIteration, reference.ExcStopAsyncIteration,
	reference.ExcGeneratorExit, reference.ExcTypeError, reference.ExcValueError, reference.ExcKeyError, reference.ExcRuntimeError,
	reference.ExcAttributeError, reference.ExcNameError, reference.ExcUnboundLocalError, reference.ExcSyntaxError, reference.ExcSystemExit,
	reference.ExcKeyboardInterrupt, reference.ExcArithmeticError, reference.ExcZeroDivisionError, reference.ExcAssertionError,
	reference.ExcLookupError, reference.ExcIndexError, reference.ExcOSError, reference.ExcTimeoutError, reference.ExcNotImplementedError,
	reference.ExcRecursionError, reference.ExcMemoryError, reference.ExcSystemError, reference.ExcWarning, reference.ExcRuntimeWarning,
	reference.ExcResourceWarning, reference.ExcDeprecationWarning,
}

var builtinTypes = []*reference.Class{
	reference.IntType, reference.StrType, reference.FloatType, reference.BoolType, reference.TupleType, reference.ListType,
	reference.DictType, reference.SetType, reference.ObjectType, reference.TypeType,
}

// installNames fills the builtins and puts the modules into the globals.
func (interp *interpreter) installNames() {
	b := map[string]reference.Object{}
	for _, c := range exceptionClasses {
		b[c.Name] = c
	}
	for _, c := range builtinTypes {
		b[c.Name] = c
	}
	fn := func(name string, f func(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error)) *builtinFunc {
		return &builtinFunc{interpreter: interp, name: name, fn: f}
	}
	for name, f := range map[string]func(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error){
		"anext":      interp.builtinANext,
		"aiter":      interp.builtinAIter,
		"iter":       interp.builtinIter,
		"next":       interp.builtinNext,
		"range":      builtinRange,
		"len":        builtinLen,
		"hasattr":    interp.builtinHasattr,
		"isinstance": builtinIsinstance,
		"issubclass": builtinIssubclass,
		"print":      builtinPrint,
	} {
		b[name] = fn(name, f)
	}
	interp.builtins = b

	pyfn := func(name string, f func(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error)) *builtinFunc {
		return &builtinFunc{interpreter: interp, name: name, fn: f, python: true}
	}
	interp.globals["asyncio"] = &module{name: "asyncio", attrs: map[string]reference.Object{
		"sleep":          pyfn("sleep", interp.asyncioSleep),
		"gather":         pyfn("gather", interp.asyncioGather),
		"create_task":    pyfn("create_task", interp.asyncioCreateTask),
		"CancelledError": reference.ExcCancelledError,
	}}
	interp.globals["gc"] = &module{name: "gc", attrs: map[string]reference.Object{
		"collect": fn("collect", interp.gcCollect),
	}}
	abc := &module{name: "collections.abc", attrs: map[string]reference.Object{}}
	for _, c := range []*reference.Class{reference.AsyncIterableABC, reference.AsyncIteratorABC, reference.AsyncGeneratorABC,
		reference.AwaitableABC, reference.CoroutineABC, reference.IterableABC, reference.IteratorABC, reference.GeneratorABC} {
		abc.attrs[c.Name] = c
	}
	interp.globals["collections"] = &module{name: "collections", attrs: map[string]reference.Object{"abc": abc}}
}

func noKwargs(name string, kw []kwarg) error {
	if len(kw) > 0 {
		return reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", name)
	}
	return nil
}

// builtinANext checks anext's arguments as the builtin does, then goes
// through Ops.ANext or Ops.ANextDefault.
func (interp *interpreter) builtinANext(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("anext", kw); err != nil {
		return nil, err
	}
	var v reference.Object
	var err error
	switch len(args) {
	case 0:
		return nil, reference.Errorf(reference.ExcTypeError, "anext expected at least 1 argument, got 0")
	case 1:
		v, err = interp.ops.ANext(interp.runtime, args[0])
	case 2:
		v, err = interp.ops.ANextDefault(interp.runtime, args[0], args[1])
		interp.hold(v, args[1])
		if aw, ok := v.(*reference.ANextAwaitable); ok {
			interp.hold(v, aw.Wrapped()) // what __anext__() returned: a coroutine, say
		}
	default:
		return nil, reference.Errorf(reference.ExcTypeError, "anext expected at most 2 arguments, got %d", len(args))
	}
	if err != nil {
		return nil, err
	}
	interp.hold(v, args[0])
	return v, nil
}

func (interp *interpreter) builtinAIter(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("aiter", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, reference.Errorf(reference.ExcTypeError, "aiter() takes exactly one argument (%d given)", len(args))
	}
	return interp.ops.AIter(args[0])
}

func (interp *interpreter) builtinIter(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("iter", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, reference.Errorf(reference.ExcTypeError, "iter expected 1 argument, got %d", len(args))
	}
	return interp.ops.Iter(args[0])
}

func (interp *interpreter) builtinNext(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("next", kw); err != nil {
		return nil, err
	}
	if len(args) < 1 || len(args) > 2 {
		return nil, reference.Errorf(reference.ExcTypeError, "next expected at least 1 argument, got %d", len(args))
	}
	v, ok, err := interp.ops.Next(args[0])
	if err != nil {
		if exc := reference.AsException(err); len(args) == 2 && exc.Matches(reference.ExcStopIteration) {
			return args[1], nil
		}
		return nil, err
	}
	if !ok {
		if len(args) == 2 {
			return args[1], nil
		}
		return nil, reference.NewException(reference.ExcStopIteration)
	}
	return v, nil
}

func builtinRange(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("range", kw); err != nil {
		return nil, err
	}
	ints := make([]int, len(args))
	for i, x := range args {
		switch v := x.(type) {
		case bool:
			ints[i] = 0
			if v {
				ints[i] = 1
			}
		case int:
			ints[i] = v
		default:
			return nil, reference.Errorf(reference.ExcTypeError, "'%s' object cannot be interpreted as an integer", reference.TypeName(x))
		}
	}
	switch len(ints) {
	case 0:
		return nil, reference.Errorf(reference.ExcTypeError, "range expected at least 1 argument, got 0")
	case 1:
		return &rangeObj{0, ints[0], 1}, nil
	case 2:
		return &rangeObj{ints[0], ints[1], 1}, nil
	case 3:
		if ints[2] == 0 {
			return nil, reference.Errorf(reference.ExcValueError, "range() arg 3 must not be zero")
		}
		return &rangeObj{ints[0], ints[1], ints[2]}, nil
	}
	return nil, reference.Errorf(reference.ExcTypeError, "range expected at most 3 arguments, got %d", len(ints))
}

func builtinLen(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("len", kw); err != nil {
		return nil, err
	}
	if len(args) != 1 {
		return nil, reference.Errorf(reference.ExcTypeError, "len() takes exactly one argument (%d given)", len(args))
	}
	switch v := args[0].(type) {
	case string:
		return utf8.RuneCountInString(v), nil
	case *reference.List:
		return len(v.Items), nil
	case *reference.Tuple:
		return len(v.Items), nil
	case *reference.Dict:
		return v.Len(), nil
	case *reference.Set:
		return v.Len(), nil
	case *rangeObj:
		return v.length(), nil
	case *reference.Instance:
		if _, ok := v.Class.Lookup("__len__"); ok {
			return reference.CallMethod(v, "__len__")
		}
	}
	return nil, reference.Errorf(reference.ExcTypeError, "object of type '%s' has no len()", reference.TypeName(args[0]))
}

func (interp *interpreter) builtinHasattr(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("hasattr", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, reference.Errorf(reference.ExcTypeError, "hasattr expected 2 arguments, got %d", len(args))
	}
	name, ok := args[1].(string)
	if !ok {
		return nil, reference.Errorf(reference.ExcTypeError, "attribute name must be string, not '%s'", reference.TypeName(args[1]))
	}
	_, exc := interp.getattr(args[0], name)
	if exc == nil {
		return true, nil
	}
	if exc.Matches(reference.ExcAttributeError) {
		return false, nil
	}
	return nil, exc
}

// classArg is the class (or tuple of classes) isinstance and issubclass
// take as second argument.
func classArg(fname string, x reference.Object) ([]*reference.Class, error) {
	switch v := x.(type) {
	case *reference.Class:
		return []*reference.Class{v}, nil
	case *reference.Tuple:
		var out []*reference.Class
		for _, it := range v.Items {
			cs, err := classArg(fname, it)
			if err != nil {
				return nil, err
			}
			out = append(out, cs...)
		}
		return out, nil
	}
	return nil, reference.Errorf(reference.ExcTypeError, "%s() arg 2 must be a type, a tuple of types, or a union", fname)
}

func builtinIsinstance(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("isinstance", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, reference.Errorf(reference.ExcTypeError, "isinstance expected 2 arguments, got %d", len(args))
	}
	cs, err := classArg("isinstance", args[1])
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if reference.IsInstance(args[0], c) {
			return true, nil
		}
	}
	return false, nil
}

func builtinIssubclass(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("issubclass", kw); err != nil {
		return nil, err
	}
	if len(args) != 2 {
		return nil, reference.Errorf(reference.ExcTypeError, "issubclass expected 2 arguments, got %d", len(args))
	}
	c, ok := args[0].(*reference.Class)
	if !ok {
		return nil, reference.Errorf(reference.ExcTypeError, "issubclass() arg 1 must be a class")
	}
	cs, err := classArg("issubclass", args[1])
	if err != nil {
		return nil, err
	}
	for _, base := range cs {
		if reference.IsSubclass(c, base) {
			return true, nil
		}
	}
	return false, nil
}

// builtinPrint is print(): a harness sends what scenarios print to
// stderr, not to the observations; the reference prints nowhere.
func builtinPrint(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	for _, x := range args {
		if _, err := reference.Str(x); err != nil {
			return nil, err
		}
	}
	return reference.None, nil
}

func (interp *interpreter) asyncioSleep(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	var delay, result reference.Object = nil, reference.None
	if len(args) > 0 {
		delay = args[0]
	}
	if len(args) > 1 {
		result = args[1]
	}
	for _, k := range kw {
		switch k.name {
		case "delay":
			delay = k.value
		case "result":
			result = k.value
		default:
			return nil, reference.Errorf(reference.ExcTypeError, "sleep() got an unexpected keyword argument '%s'", k.name)
		}
	}
	if delay == nil || len(args) > 2 {
		return nil, reference.Errorf(reference.ExcTypeError, "sleep() missing 1 required positional argument: 'delay'")
	}
	var d float64
	switch v := delay.(type) {
	case int:
		d = float64(v)
	case float64:
		d = v
	case bool:
		if v {
			d = 1
		}
	default:
		// CPython fails only when the coroutine runs and compares delay.
		bad := reference.Errorf(reference.ExcTypeError, "'<=' not supported between instances of '%s' and 'int'", reference.TypeName(delay))
		return interp.runtime.NewCoroutine("sleep", "sleep", func(*reference.Frame) (reference.Object, error) { return nil, bad }), nil
	}
	c := interp.ops.Sleep(interp.runtime, d, result)
	interp.hold(c, result)
	return c, nil
}

func (interp *interpreter) asyncioGather(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	retExc := false
	for _, k := range kw {
		if k.name != "return_exceptions" {
			return nil, reference.Errorf(reference.ExcTypeError, "gather() got an unexpected keyword argument '%s'", k.name)
		}
		t, err := reference.Truth(k.value)
		if err != nil {
			return nil, err
		}
		retExc = t
	}
	f, err := interp.ops.Gather(interp.runtime, args, retExc)
	if err != nil {
		return nil, err
	}
	interp.tasks = append(interp.tasks, f)
	for _, x := range args {
		interp.hold(f, x)
	}
	return f, nil
}

func (interp *interpreter) asyncioCreateTask(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	for _, k := range kw {
		if k.name != "name" {
			return nil, reference.Errorf(reference.ExcTypeError, "create_task() got an unexpected keyword argument '%s'", k.name)
		}
	}
	if len(args) != 1 {
		return nil, reference.Errorf(reference.ExcTypeError, "create_task() takes 1 positional argument but %d were given", len(args))
	}
	if _, err := interp.runtime.GetRunningLoop(); err != nil {
		// asyncio.create_task fails in get_running_loop(): the coroutine
		// stays alive in its frame, which the exception's traceback keeps,
		// and warns once the exception goes.
		exc := reference.AsException(err)
		interp.hold(exc, args[0])
		return nil, exc
	}
	t, err := interp.ops.CreateTask(interp.runtime, args[0])
	if err != nil {
		return nil, err
	}
	interp.tasks = append(interp.tasks, t)
	interp.hold(t, args[0])
	return t, nil
}

// gcCollect is gc.collect(): a collection now (objects in unreachable
// cycles are finalised here at the latest). It returns 0.
func (interp *interpreter) gcCollect(_ *activation, args []reference.Object, kw []kwarg) (reference.Object, error) {
	if err := noKwargs("collect", kw); err != nil {
		return nil, err
	}
	interp.maybeCollect()
	return 0, nil
}

// builtinTypeCalls construct values of the builtin types, which
// reference.Class.Call does not.
var builtinTypeCalls = map[*reference.Class]func(interp *interpreter, a *activation, args []reference.Object) (reference.Object, *reference.Exception){
	reference.ListType: func(interp *interpreter, a *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		items, exc := interp.collectItems(a, "list", args)
		if exc != nil {
			return nil, exc
		}
		return reference.NewList(items...), nil
	},
	reference.TupleType: func(interp *interpreter, a *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		items, exc := interp.collectItems(a, "tuple", args)
		if exc != nil {
			return nil, exc
		}
		return reference.NewTuple(items...), nil
	},
	reference.SetType: func(interp *interpreter, a *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		items, exc := interp.collectItems(a, "set", args)
		if exc != nil {
			return nil, exc
		}
		s := reference.NewSet()
		for _, x := range items {
			if err := s.Add(x); err != nil {
				return nil, reference.AsException(err)
			}
		}
		return s, nil
	},
	reference.DictType: func(interp *interpreter, a *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		items, exc := interp.collectItems(a, "dict", args)
		if exc != nil {
			return nil, exc
		}
		d := reference.NewDict()
		if len(args) == 1 {
			if src, ok := args[0].(*reference.Dict); ok {
				for i, k := range src.Keys() {
					if err := d.SetItem(k, src.Values()[i]); err != nil {
						return nil, reference.AsException(err)
					}
				}
				return d, nil
			}
		}
		for i, it := range items {
			var pair []reference.Object
			switch p := it.(type) {
			case *reference.Tuple:
				pair = p.Items
			case *reference.List:
				pair = p.Items
			default:
				return nil, reference.Errorf(reference.ExcTypeError, "cannot convert dictionary update sequence element #%d to a sequence", i)
			}
			if len(pair) != 2 {
				return nil, reference.Errorf(reference.ExcValueError, "dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
			}
			if err := d.SetItem(pair[0], pair[1]); err != nil {
				return nil, reference.AsException(err)
			}
		}
		return d, nil
	},
	reference.StrType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) == 0 {
			return "", nil
		}
		if len(args) > 1 {
			return nil, reference.Errorf(reference.ExcTypeError, "str() takes at most 1 argument (%d given)", len(args))
		}
		s, err := reference.Str(args[0])
		return s, reference.AsException(err)
	},
	reference.BoolType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) == 0 {
			return false, nil
		}
		if len(args) > 1 {
			return nil, reference.Errorf(reference.ExcTypeError, "bool expected at most 1 argument, got %d", len(args))
		}
		return truth(args[0])
	},
	reference.IntType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) == 0 {
			return 0, nil
		}
		switch v := args[0].(type) {
		case bool:
			if v {
				return 1, nil
			}
			return 0, nil
		case int:
			return v, nil
		case float64:
			if math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, reference.Errorf(reference.ExcValueError, "cannot convert float %s to integer", scenario.FloatRepr(v))
			}
			return int(v), nil
		case string:
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, reference.Errorf(reference.ExcValueError, "invalid literal for int() with base 10: %s", scenario.StrRepr(v))
			}
			return n, nil
		}
		return nil, reference.Errorf(reference.ExcTypeError, "int() argument must be a string, a bytes-like object or a real number, not '%s'", reference.TypeName(args[0]))
	},
	reference.FloatType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) == 0 {
			return 0.0, nil
		}
		switch v := args[0].(type) {
		case bool:
			if v {
				return 1.0, nil
			}
			return 0.0, nil
		case int:
			return float64(v), nil
		case float64:
			return v, nil
		case string:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, reference.Errorf(reference.ExcValueError, "could not convert string to float: %s", scenario.StrRepr(v))
			}
			return f, nil
		}
		return nil, reference.Errorf(reference.ExcTypeError, "float() argument must be a string or a real number, not '%s'", reference.TypeName(args[0]))
	},
	reference.TypeType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) != 1 {
			return nil, reference.Errorf(reference.ExcTypeError, "type() takes 1 or 3 arguments")
		}
		return reference.TypeOf(args[0]), nil
	},
	reference.ObjectType: func(_ *interpreter, _ *activation, args []reference.Object) (reference.Object, *reference.Exception) {
		if len(args) > 0 {
			return nil, reference.Errorf(reference.ExcTypeError, "object() takes no arguments")
		}
		return reference.NewInstance(reference.ObjectType), nil
	},
}

// collectItems is the iteration list(x), tuple(x), set(x) and dict(x) do,
// through Ops.For.
func (interp *interpreter) collectItems(a *activation, name string, args []reference.Object) ([]reference.Object, *reference.Exception) {
	if len(args) > 1 {
		return nil, reference.Errorf(reference.ExcTypeError, "%s expected at most 1 argument, got %d", name, len(args))
	}
	if len(args) == 0 {
		return nil, nil
	}
	if name == "dict" {
		if _, ok := args[0].(*reference.Dict); ok {
			return nil, nil
		}
	}
	var items []reference.Object
	_, exc := interp.forLoop(a, args[0], func(x reference.Object) (bool, error) {
		items = append(items, x)
		return false, nil
	})
	return items, exc
}

// binaryOp computes the arithmetic and comparison operators of the
// scenario language on builtin values with CPython's results and errors.
func binaryOp(op string, l, r reference.Object) (reference.Object, *reference.Exception) {
	switch op {
	case "==", "!=":
		eq, err := reference.Equal(l, r)
		if err != nil {
			return nil, reference.AsException(err)
		}
		return eq == (op == "=="), nil
	case "<", "<=", ">", ">=":
		return compare(op, l, r)
	}
	if li, ok := asInt(l); ok {
		if ri, ok := asInt(r); ok {
			return intOp(op, li, ri)
		}
	}
	if lf, ok := asFloat(l); ok {
		if rf, ok := asFloat(r); ok {
			return floatOp(op, lf, rf)
		}
	}
	switch op {
	case "+":
		switch lv := l.(type) {
		case string:
			if rv, ok := r.(string); ok {
				return lv + rv, nil
			}
			return nil, reference.Errorf(reference.ExcTypeError, "can only concatenate str (not \"%s\") to str", reference.TypeName(r))
		case *reference.List:
			if rv, ok := r.(*reference.List); ok {
				return reference.NewList(append(append([]reference.Object(nil), lv.Items...), rv.Items...)...), nil
			}
			return nil, reference.Errorf(reference.ExcTypeError, "can only concatenate list (not \"%s\") to list", reference.TypeName(r))
		case *reference.Tuple:
			if rv, ok := r.(*reference.Tuple); ok {
				return reference.NewTuple(append(append([]reference.Object(nil), lv.Items...), rv.Items...)...), nil
			}
			return nil, reference.Errorf(reference.ExcTypeError, "can only concatenate tuple (not \"%s\") to tuple", reference.TypeName(r))
		}
	case "*":
		if n, ok := asInt(r); ok {
			if v, exc, ok := repeatSeq(l, n); ok {
				return v, exc
			}
		}
		if n, ok := asInt(l); ok {
			if v, exc, ok := repeatSeq(r, n); ok {
				return v, exc
			}
		}
		if isSeq(l) {
			return nil, reference.Errorf(reference.ExcTypeError, "can't multiply sequence by non-int of type '%s'", reference.TypeName(r))
		}
		if isSeq(r) {
			return nil, reference.Errorf(reference.ExcTypeError, "can't multiply sequence by non-int of type '%s'", reference.TypeName(l))
		}
	}
	return nil, reference.Errorf(reference.ExcTypeError, "unsupported operand type(s) for %s: '%s' and '%s'", op, reference.TypeName(l), reference.TypeName(r))
}

func asInt(o reference.Object) (int, bool) {
	switch v := o.(type) {
	case int:
		return v, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func asFloat(o reference.Object) (float64, bool) {
	if v, ok := o.(float64); ok {
		return v, true
	}
	if i, ok := asInt(o); ok {
		return float64(i), true
	}
	return 0, false
}

func isSeq(o reference.Object) bool {
	switch o.(type) {
	case string, *reference.List, *reference.Tuple:
		return true
	}
	return false
}

// maxRepeat bounds the size of a repeated sequence: CPython would spend
// the machine's memory; the reference raises MemoryError instead.
const maxRepeat = 1 << 26

func repeatSeq(o reference.Object, n int) (reference.Object, *reference.Exception, bool) {
	if n < 0 {
		n = 0
	}
	size := 0
	switch v := o.(type) {
	case string:
		size = len(v)
	case *reference.List:
		size = len(v.Items)
	case *reference.Tuple:
		size = len(v.Items)
	default:
		return nil, nil, false
	}
	if size > 0 && n > maxRepeat/size {
		return nil, reference.NewException(reference.ExcMemoryError), true
	}
	switch v := o.(type) {
	case string:
		return strings.Repeat(v, n), nil, true
	case *reference.List:
		return reference.NewList(repeatItems(v.Items, n)...), nil, true
	}
	return reference.NewTuple(repeatItems(o.(*reference.Tuple).Items, n)...), nil, true
}

func repeatItems(items []reference.Object, n int) []reference.Object {
	out := make([]reference.Object, 0, len(items)*n)
	for i := 0; i < n; i++ {
		out = append(out, items...)
	}
	return out
}

func intOp(op string, l, r int) (reference.Object, *reference.Exception) {
	switch op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	case "//":
		if r == 0 {
			return nil, reference.Errorf(reference.ExcZeroDivisionError, "integer division or modulo by zero")
		}
		q := l / r
		if (l%r != 0) && ((l < 0) != (r < 0)) {
			q--
		}
		return q, nil
	case "%":
		if r == 0 {
			return nil, reference.Errorf(reference.ExcZeroDivisionError, "integer modulo by zero")
		}
		m := l % r
		if m != 0 && ((m < 0) != (r < 0)) {
			m += r
		}
		return m, nil
	}
	return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown operator %s", op)
}

func floatOp(op string, l, r float64) (reference.Object, *reference.Exception) {
	switch op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	case "//":
		if r == 0 {
			return nil, reference.Errorf(reference.ExcZeroDivisionError, "float floor division by zero")
		}
		return math.Floor(l / r), nil
	case "%":
		if r == 0 {
			return nil, reference.Errorf(reference.ExcZeroDivisionError, "float modulo")
		}
		m := math.Mod(l, r)
		if m != 0 && ((m < 0) != (r < 0)) {
			m += r
		}
		return m, nil
	}
	return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown operator %s", op)
}

// compare is < <= > >= on numbers, strings, and lists or tuples
// (lexicographically), and subset order on sets.
func compare(op string, l, r reference.Object) (reference.Object, *reference.Exception) {
	c, ok, exc := order(l, r)
	if exc != nil {
		return nil, exc
	}
	if !ok {
		if ls, ok := l.(*reference.Set); ok {
			if rs, ok := r.(*reference.Set); ok {
				return setCompare(op, ls, rs)
			}
		}
		return nil, reference.Errorf(reference.ExcTypeError, "'%s' not supported between instances of '%s' and '%s'", op, reference.TypeName(l), reference.TypeName(r))
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// order compares two values of orderable kinds; ok is false when they
// cannot be ordered.
func order(l, r reference.Object) (int, bool, *reference.Exception) {
	if lf, ok := asFloat(l); ok {
		if rf, ok := asFloat(r); ok {
			if li, ok := asInt(l); ok {
				if ri, ok := asInt(r); ok {
					return cmpInt(li, ri), true, nil
				}
			}
			switch {
			case lf < rf:
				return -1, true, nil
			case lf > rf:
				return 1, true, nil
			}
			return 0, true, nil
		}
	}
	if ls, ok := l.(string); ok {
		if rs, ok := r.(string); ok {
			switch {
			case ls < rs:
				return -1, true, nil
			case ls > rs:
				return 1, true, nil
			}
			return 0, true, nil
		}
	}
	var li, ri []reference.Object
	switch lv := l.(type) {
	case *reference.List:
		rv, ok := r.(*reference.List)
		if !ok {
			return 0, false, nil
		}
		li, ri = lv.Items, rv.Items
	case *reference.Tuple:
		rv, ok := r.(*reference.Tuple)
		if !ok {
			return 0, false, nil
		}
		li, ri = lv.Items, rv.Items
	default:
		return 0, false, nil
	}
	for i := 0; i < len(li) && i < len(ri); i++ {
		eq, err := reference.Equal(li[i], ri[i])
		if err != nil {
			return 0, false, reference.AsException(err)
		}
		if eq {
			continue
		}
		c, ok, exc := order(li[i], ri[i])
		if exc != nil {
			return 0, false, exc
		}
		if !ok {
			return 0, false, reference.Errorf(reference.ExcTypeError, "'<' not supported between instances of '%s' and '%s'", reference.TypeName(li[i]), reference.TypeName(ri[i]))
		}
		return c, true, nil
	}
	return cmpInt(len(li), len(ri)), true, nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func setCompare(op string, l, r *reference.Set) (reference.Object, *reference.Exception) {
	subset := func(a, b *reference.Set) (bool, *reference.Exception) {
		for _, x := range a.Items() {
			ok, err := b.Contains(x)
			if err != nil {
				return false, reference.AsException(err)
			}
			if !ok {
				return false, nil
			}
		}
		return true, nil
	}
	switch op {
	case "<=":
		return subset(l, r)
	case ">=":
		return subset(r, l)
	case "<":
		s, exc := subset(l, r)
		return s && l.Len() < r.Len(), exc
	}
	s, exc := subset(r, l)
	return s && r.Len() < l.Len(), exc
}
