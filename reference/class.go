package reference

import "strings"

// Class is a Python type: a builtin type of this package, an exception
// class, a collections.abc class, or a class made at run time by
// [NewClass]. Classes compare by identity.
type Class struct {
	// Name is __name__, what messages print for runtime-defined
	// classes; Qualname is __qualname__; Module is __module__ ("" for
	// builtins), which prefixes the name in messages about extension
	// types such as "_asyncio.Future".
	Name     string
	Qualname string
	Module   string
	// Bases are the direct base classes, in order.
	Bases []*Class
	// Dict is the class namespace. For classes made by NewClass it is
	// where special methods live: a name that is present (whatever its
	// value, even None or 5) fills the slot; an absent name leaves it
	// empty. Changing Dict after creation takes effect at once, as
	// assigning to a class attribute does in Python.
	Dict map[string]Object

	mro  []*Class
	heap bool // made at run time: slots come from Dict
	exc  bool // derives from BaseException
	// abcMethods makes this a collections.abc class whose
	// isinstance/issubclass test is _check_methods over these names.
	abcMethods []string
}

func newBuiltinClass(name, module string, base *Class) *Class {
	c := &Class{Name: name, Qualname: name, Module: module, Dict: map[string]Object{}}
	if base != nil {
		c.Bases = []*Class{base}
		c.exc = base.exc
	}
	c.mro = computeMRO(c)
	return c
}

// NewClass creates a class at run time, like a class statement: name,
// bases (ObjectType when empty) and namespace. It fails with TypeError
// when the bases admit no consistent method resolution order.
func NewClass(name string, bases []*Class, dict map[string]Object) (*Class, error) {
	if len(bases) == 0 {
		bases = []*Class{ObjectType}
	}
	if dict == nil {
		dict = map[string]Object{}
	}
	c := &Class{Name: name, Qualname: name, Module: "__main__", Bases: bases, Dict: dict, heap: true}
	for _, b := range bases {
		if !b.heap && !b.exc && b != ObjectType && b != TupleType && b.abcMethods == nil {
			// Instances of runtime classes are *Instance values, which
			// carry no builtin type's Go state but a tuple's items.
			return nil, Errorf(ExcTypeError, "reference: subclassing builtin type '%s' is not supported", b.Name)
		}
		if b.exc {
			c.exc = true
		}
	}
	if c.exc {
		for _, b := range bases {
			if b.IsSubclass(TupleType) {
				// An exception and a tuple lay their instances out differently.
				return nil, Errorf(ExcTypeError, "multiple bases have instance lay-out conflict")
			}
		}
	}
	if q, ok := dict["__qualname__"].(string); ok {
		c.Qualname = q
	}
	c.mro = computeMRO(c)
	if c.mro == nil {
		names := make([]string, len(bases))
		for i, b := range bases {
			names[i] = b.Name
		}
		return nil, Errorf(ExcTypeError, "Cannot create a consistent method resolution order (MRO) for bases %s", strings.Join(names, ", "))
	}
	return c, nil
}

// computeMRO is the C3 linearisation; nil when there is none.
func computeMRO(c *Class) []*Class {
	var seqs [][]*Class
	for _, b := range c.Bases {
		seqs = append(seqs, append([]*Class(nil), b.mro...))
	}
	seqs = append(seqs, append([]*Class(nil), c.Bases...))
	out := []*Class{c}
	for {
		empty := true
		for _, s := range seqs {
			if len(s) > 0 {
				empty = false
			}
		}
		if empty {
			return out
		}
		var cand *Class
		for _, s := range seqs {
			if len(s) == 0 {
				continue
			}
			h := s[0]
			inTail := false
			for _, t := range seqs {
				for _, x := range t[min(1, len(t)):] {
					if x == h {
						inTail = true
					}
				}
			}
			if !inTail {
				cand = h
				break
			}
		}
		if cand == nil {
			return nil
		}
		out = append(out, cand)
		for i, s := range seqs {
			if len(s) > 0 && s[0] == cand {
				seqs[i] = s[1:]
			}
		}
	}
}

// PyType implements [Typer]: classes are instances of type.
func (c *Class) PyType() *Class { return TypeType }

// TpName is the name CPython's messages use for the type.
func (c *Class) TpName() string {
	if c.heap || c.Module == "" || c.Module == "builtins" {
		return c.Name
	}
	return c.Module + "." + c.Name
}

// MRO returns the method resolution order, c first.
func (c *Class) MRO() []*Class { return c.mro }

// Lookup finds name along the MRO, as _PyType_Lookup does. The bool
// is false only when no class in the MRO defines the name.
func (c *Class) Lookup(name string) (Object, bool) {
	for _, k := range c.mro {
		if v, ok := k.Dict[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// IsSubclass is issubclass(c, base), including collections.abc checks.
// For the exception hierarchy it follows CPython: StopAsyncIteration is
// not a subclass of StopIteration, CancelledError is a BaseException
// but not an Exception.
func (c *Class) IsSubclass(base *Class) bool {
	for _, k := range c.mro {
		if k == base {
			return true
		}
	}
	if base.abcMethods != nil {
		return checkMethods(c, base.abcMethods)
	}
	return false
}

// checkMethods is collections.abc's _check_methods: every name must be
// defined somewhere in the MRO, and the first definition must not be
// None.
func checkMethods(c *Class, names []string) bool {
	for _, n := range names {
		v, ok := c.Lookup(n)
		if !ok || isNone(v) {
			return false
		}
	}
	return true
}

// IsException reports whether c derives from BaseException.
func (c *Class) IsException() bool { return c.exc }

// Call instantiates c: an exception instance for exception classes, an
// [Instance] for runtime-defined classes, calling a runtime-defined
// __init__ when the MRO has one. Builtin non-exception classes cannot be
// called this way (TypeError).
func (c *Class) Call(args []Object) (Object, error) {
	var self Object
	switch {
	case c.abcMethods != nil:
		return nil, Errorf(ExcTypeError, "Can't instantiate abstract class %s", c.Name)
	case c.exc:
		self = &Exception{Class: c, Args: append([]Object(nil), args...)}
	case c.heap && c.IsSubclass(TupleType):
		// tuple.__new__ makes the instance; __init__, if the class
		// defines one, then gets the same arguments.
		in, err := NewTupleInstance(c, args)
		if err != nil {
			return nil, err
		}
		self = in
	case c.heap:
		self = NewInstance(c)
	default:
		return nil, Errorf(ExcTypeError, "cannot create '%s' instances", c.TpName())
	}
	called := false
	for _, k := range c.mro {
		if !k.heap {
			break
		}
		if init, ok := k.Dict["__init__"]; ok {
			r, exc := callBound(init, self, args)
			if exc != nil {
				return nil, exc
			}
			if !isNone(r) {
				return nil, Errorf(ExcTypeError, "__init__() should return None, not '%s'", TypeName(r))
			}
			called = true
			break
		}
	}
	if !called && !c.exc && !c.IsSubclass(TupleType) && len(args) > 0 {
		return nil, Errorf(ExcTypeError, "%s() takes no arguments", c.Name)
	}
	return self, nil
}

func (c *Class) getAttr(name string) (Object, *Exception) {
	switch name {
	case "__name__":
		return c.Name, nil
	case "__qualname__":
		return c.Qualname, nil
	case "__module__":
		if c.Module == "" {
			return "builtins", nil
		}
		return c.Module, nil
	case "__mro__":
		items := make([]Object, len(c.mro))
		for i, k := range c.mro {
			items[i] = k
		}
		return NewTuple(items...), nil
	case "__bases__":
		items := make([]Object, len(c.Bases))
		for i, k := range c.Bases {
			items[i] = k
		}
		return NewTuple(items...), nil
	case "__class__":
		return TypeType, nil
	}
	if v, ok := c.Lookup(name); ok {
		return v, nil
	}
	return nil, Errorf(ExcAttributeError, "type object '%s' has no attribute '%s'", c.Name, name)
}

// NewTupleInstance is tuple.__new__(cls, *args) for a class deriving
// from tuple: an instance holding the items of args[0], if given.
func NewTupleInstance(cls *Class, args []Object) (*Instance, error) {
	if len(args) > 1 {
		return nil, Errorf(ExcTypeError, "tuple expected at most 1 argument, got %d", len(args))
	}
	in := NewInstance(cls)
	in.Tuple = NewTuple()
	if len(args) == 1 {
		if exc := appendItems(&in.Tuple.Items, args[0]); exc != nil {
			return nil, exc
		}
	}
	return in, nil
}

// appendItems appends the items iterating x gives to items.
func appendItems(items *[]Object, x Object) *Exception {
	it, exc := getIter(x)
	if exc != nil {
		return exc
	}
	for {
		v, ok, exc := iterNext(it)
		if exc != nil {
			return exc
		}
		if !ok {
			return nil
		}
		*items = append(*items, v)
	}
}

// Builtin classes. Their dictionaries hold the methods and attributes
// that hasattr/getattr and collections.abc see.
var (
	ObjectType          = newBuiltinClass("object", "", nil)
	TypeType            = newBuiltinClass("type", "", ObjectType)
	NoneTypeType        = newBuiltinClass("NoneType", "", ObjectType)
	BoolType            = newBuiltinClass("bool", "", IntType)
	IntType             = newBuiltinClass("int", "", ObjectType)
	FloatType           = newBuiltinClass("float", "", ObjectType)
	StrType             = newBuiltinClass("str", "", ObjectType)
	ListType            = newBuiltinClass("list", "", ObjectType)
	TupleType           = newBuiltinClass("tuple", "", ObjectType)
	DictType            = newBuiltinClass("dict", "", ObjectType)
	SetType             = newBuiltinClass("set", "", ObjectType)
	ListIteratorType    = newBuiltinClass("list_iterator", "", ObjectType)
	TupleIteratorType   = newBuiltinClass("tuple_iterator", "", ObjectType)
	StrIteratorType     = newBuiltinClass("str_ascii_iterator", "", ObjectType)
	DictKeyIteratorType = newBuiltinClass("dict_keyiterator", "", ObjectType)
	SetIteratorType     = newBuiltinClass("set_iterator", "", ObjectType)
	FunctionType        = newBuiltinClass("function", "", ObjectType)
	MethodType          = newBuiltinClass("method", "", ObjectType)
	FrameType           = newBuiltinClass("frame", "", ObjectType)

	CoroutineType        = newBuiltinClass("coroutine", "", ObjectType)
	CoroutineWrapperType = newBuiltinClass("coroutine_wrapper", "", ObjectType)
	GeneratorType        = newBuiltinClass("generator", "", ObjectType)
	AsyncGeneratorType   = newBuiltinClass("async_generator", "", ObjectType)
	ASendType            = newBuiltinClass("async_generator_asend", "", ObjectType)
	AThrowType           = newBuiltinClass("async_generator_athrow", "", ObjectType)
	ANextAwaitableType   = newBuiltinClass("anext_awaitable", "", ObjectType)

	FutureType          = newBuiltinClass("Future", "_asyncio", ObjectType)
	FutureIterType      = newBuiltinClass("FutureIter", "_asyncio", ObjectType)
	TaskType            = newBuiltinClass("Task", "_asyncio", FutureType)
	GatheringFutureType = newBuiltinClass("_GatheringFuture", "asyncio.tasks", FutureType)
	LoopType            = newBuiltinClass("EventLoop", "reference", ObjectType)
	HandleType          = newBuiltinClass("TimerHandle", "asyncio.events", ObjectType)
)

// The collections.abc classes; isinstance and issubclass test them by
// the methods a type defines, as their __subclasshook__ does.
var (
	AwaitableABC      = newABC("Awaitable", "__await__")
	CoroutineABC      = newABC("Coroutine", "__await__", "send", "throw", "close")
	AsyncIterableABC  = newABC("AsyncIterable", "__aiter__")
	AsyncIteratorABC  = newABC("AsyncIterator", "__anext__", "__aiter__")
	AsyncGeneratorABC = newABC("AsyncGenerator", "__aiter__", "__anext__", "asend", "athrow", "aclose")
	IterableABC       = newABC("Iterable", "__iter__")
	IteratorABC       = newABC("Iterator", "__next__", "__iter__")
	GeneratorABC      = newABC("Generator", "__iter__", "__next__", "send", "throw", "close")
)

func newABC(name string, methods ...string) *Class {
	c := newBuiltinClass(name, "collections.abc", ObjectType)
	c.abcMethods = methods
	return c
}

func init() {
	// The mixin methods a class gets by subclassing these ABCs.
	self := func(args []Object) (Object, error) { return args[0], nil }
	AsyncIteratorABC.Dict["__aiter__"] = &Function{Name: "__aiter__", Qualname: "AsyncIterator.__aiter__", Fn: self}
	IteratorABC.Dict["__iter__"] = &Function{Name: "__iter__", Qualname: "Iterator.__iter__", Fn: self}
}
