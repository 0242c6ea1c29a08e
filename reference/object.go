package reference

import (
	"reflect"
	"sync"
)

// Object is a Python value.
//
// Python None is [None]; bool, int, float and str are Go bool, int,
// float64 and string; every other value is a pointer to one of this
// package's types or a Go type implementing [Typer]. A Go nil is read
// as None wherever a value is expected, but the package never returns
// nil as a value.
type Object = any

// NoneType is the type of [None].
type NoneType struct{}

// None is Python's None.
var None NoneType

// PyType implements [Typer].
func (NoneType) PyType() *Class { return NoneTypeType }

// Typer is implemented by Go types that are Python values. PyType
// reports the value's Python class, whose name appears in messages;
// protocol slots are found through the Go interfaces listed in the
// package documentation, never through the class dictionary.
type Typer interface {
	PyType() *Class
}

// isNone reports whether o is Python None (nil counts).
func isNone(o Object) bool {
	if o == nil {
		return true
	}
	_, ok := o.(NoneType)
	return ok
}

// orNone maps a Go nil to None so that no nil escapes to callers.
func orNone(o Object) Object {
	if o == nil {
		return None
	}
	return o
}

var goTypeClasses sync.Map // reflect.Type -> *Class

// TypeOf returns type(o). It never returns nil: a Go value that is not
// a [Typer] gets a class named after its Go type.
func TypeOf(o Object) *Class {
	switch v := o.(type) {
	case nil, NoneType:
		return NoneTypeType
	case bool:
		return BoolType
	case int:
		return IntType
	case float64:
		return FloatType
	case string:
		return StrType
	case *Instance:
		return v.Class
	case *Exception:
		return v.Class
	case *Class:
		return TypeType
	case Typer:
		return v.PyType()
	}
	t := reflect.TypeOf(o)
	if c, ok := goTypeClasses.Load(t); ok {
		return c.(*Class)
	}
	c, _ := goTypeClasses.LoadOrStore(t, newBuiltinClass(t.String(), "", ObjectType))
	return c.(*Class)
}

// TypeName returns the type's name as CPython's messages print it
// (tp_name): the bare name for builtins and classes made at run time,
// "module.name" for extension types such as "_asyncio.Future".
func TypeName(o Object) string { return TypeOf(o).TpName() }

// Is reports whether a and b are the same object (Python's "is").
// Values of Go types that cannot be compared are never identical.
func Is(a, b Object) bool {
	a, b = orNone(a), orNone(b)
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb || !ta.Comparable() {
		return false
	}
	return a == b
}

// Instance is an object of a class created at run time with [NewClass].
// Special methods are looked up on Class (never on Dict), exactly as
// CPython's type slots do.
type Instance struct {
	// Class is type(o).
	Class *Class
	// Dict is the instance __dict__: attributes set on the instance,
	// which protocol operations never consult.
	Dict map[string]Object
	// Tuple holds the items of an instance of a class deriving from
	// tuple (nil for any other class): tuple's own methods (__len__,
	// __getitem__, __iter__) read them.
	Tuple *Tuple
}

// NewInstance returns a new, empty instance of cls without calling
// __init__; use cls.Call to construct one the Python way.
func NewInstance(cls *Class) *Instance {
	return &Instance{Class: cls, Dict: map[string]Object{}}
}

// Callable is implemented by Go values that Python code may call.
// Values stored in a class dictionary are called without self unless
// they are a *[Function].
type Callable interface {
	Call(args []Object) (Object, error)
}

// Function is a Python function: a def, async def, lambda or builtin.
// Found on a class, it binds like a Python function: self is passed as
// args[0]. Fn may be called again while a previous call is still
// running (recursion); it must return a nil error or an *[Exception]
// (other errors are reported as SystemError).
type Function struct {
	// Name and Qualname are __name__ and __qualname__.
	Name     string
	Qualname string
	// Code is __code__, the code object of a def or lambda; nil for a
	// builtin, which has none.
	Code Object
	// Fn is the body: it gets the positional arguments (self first
	// when called as a method) and returns the result or an
	// exception. A nil result means None.
	Fn func(args []Object) (Object, error)
}

// NewFunction returns a Function whose qualified name is name.
func NewFunction(name string, fn func(args []Object) (Object, error)) *Function {
	return &Function{Name: name, Qualname: name, Fn: fn}
}

// Call implements [Callable].
func (f *Function) Call(args []Object) (Object, error) {
	v, err := f.Fn(args)
	if err != nil {
		return nil, AsException(err)
	}
	return orNone(v), nil
}

// PyType implements [Typer].
func (f *Function) PyType() *Class { return FunctionType }

// Method is a function bound to an object, the result of looking a
// [Function] up through an instance.
type Method struct {
	// Self is the object the function was looked up on.
	Self Object
	// Func is the function found on Self's class.
	Func *Function
}

// Call implements [Callable]: it calls Func with Self prepended.
func (m *Method) Call(args []Object) (Object, error) {
	all := make([]Object, 0, len(args)+1)
	all = append(all, m.Self)
	return m.Func.Call(append(all, args...))
}

// PyType implements [Typer].
func (m *Method) PyType() *Class { return MethodType }

// Property is a computed attribute stored in a class dictionary (a
// getset descriptor); Get receives the instance.
type Property struct {
	// Get computes the attribute of self.
	Get func(self Object) (Object, error)
	// Set, if not nil, makes the attribute writable: it stores v on self
	// or rejects it with an exception.
	Set func(self, v Object) error
	// Member marks a read-only member (PyMemberDef READONLY) rather than
	// a getset without setter: assigning it says "readonly attribute".
	Member bool
}

// Call calls fn with args (Python's fn(*args)). A value that is not
// callable gives "TypeError: 'T' object is not callable".
func Call(fn Object, args ...Object) (Object, error) {
	v, exc := call(fn, args)
	return v, errOf(exc)
}

func call(fn Object, args []Object) (Object, *Exception) {
	switch f := fn.(type) {
	case *Function:
		v, err := f.Fn(args)
		if err != nil {
			return nil, AsException(err)
		}
		return orNone(v), nil
	case *Class:
		v, err := f.Call(args)
		if err != nil {
			return nil, AsException(err)
		}
		return v, nil
	case *Instance:
		m, ok := f.Class.Lookup("__call__")
		if !ok {
			break
		}
		return callBound(m, f, args)
	case Callable:
		v, err := f.Call(args)
		if err != nil {
			return nil, AsException(err)
		}
		return orNone(v), nil
	}
	return nil, Errorf(ExcTypeError, "'%s' object is not callable", TypeName(fn))
}

// callBound calls a value found on self's class the way a slot wrapper
// does: a Function gets self first, any other callable does not.
func callBound(m Object, self Object, args []Object) (Object, *Exception) {
	if f, ok := m.(*Function); ok {
		all := make([]Object, 0, len(args)+1)
		all = append(all, self)
		v, err := f.Fn(append(all, args...))
		if err != nil {
			return nil, AsException(err)
		}
		return orNone(v), nil
	}
	return call(m, args)
}

// heapClass returns o's class when it was made at run time, the case
// where special methods come from the class dictionary.
func heapClass(o Object) *Class {
	switch v := o.(type) {
	case *Instance:
		return v.Class
	case *Exception:
		if v.Class.heap {
			return v.Class
		}
	}
	return nil
}

// lookupSpecial finds a special method the way CPython's type slots
// see it: on the type of a runtime-defined class only.
func lookupSpecial(o Object, name string) (Object, bool) {
	if c := heapClass(o); c != nil {
		return c.Lookup(name)
	}
	return nil, false
}

// instanceSpecial is a special method found on the instance, which
// lookupSpecial rightly never consults; only the mutation m does.
func instanceSpecial(o Object, name string, m mutation) (Object, bool) {
	if !mutated(m) {
		return nil, false
	}
	if in, ok := o.(*Instance); ok {
		v, ok := in.Dict[name]
		return v, ok
	}
	return nil, false
}

// GetAttr returns o.name, following Python's order: data descriptors
// of the type, the instance dictionary, then the type (binding
// functions). A missing attribute gives AttributeError with CPython's
// message.
func GetAttr(o Object, name string) (Object, error) {
	v, exc := getAttr(o, name)
	return v, errOf(exc)
}

func getAttr(o Object, name string) (Object, *Exception) {
	o = orNone(o)
	if c, ok := o.(*Class); ok {
		return c.getAttr(name)
	}
	cls := TypeOf(o)
	attr, found := cls.Lookup(name)
	if found {
		if p, ok := attr.(*Property); ok {
			v, err := p.Get(o)
			if err != nil {
				return nil, AsException(err)
			}
			return orNone(v), nil
		}
	}
	if d := instanceDict(o); d != nil {
		if v, ok := d[name]; ok {
			return v, nil
		}
	}
	if found {
		if f, ok := attr.(*Function); ok {
			return &Method{Self: o, Func: f}, nil
		}
		return attr, nil
	}
	if name == "__class__" {
		return cls, nil
	}
	return nil, Errorf(ExcAttributeError, "'%s' object has no attribute '%s'", cls.TpName(), name)
}

func instanceDict(o Object) map[string]Object {
	switch v := o.(type) {
	case *Instance:
		return v.Dict
	case *Exception:
		if v.Attrs == nil {
			v.Attrs = map[string]Object{}
		}
		return v.Attrs
	}
	return nil
}

// HasAttr is Python's hasattr: only AttributeError means false; any
// other exception raised while looking is returned.
func HasAttr(o Object, name string) (bool, error) {
	_, exc := getAttr(o, name)
	if exc == nil {
		return true, nil
	}
	if exc.Matches(ExcAttributeError) {
		return false, nil
	}
	return false, exc
}

// SetAttr sets o.name = v on an instance or a runtime-defined class, or
// through a writable [Property] of o's type. Builtin objects refuse with
// AttributeError as CPython does.
func SetAttr(o Object, name string, v Object) error {
	switch o.(type) {
	case *Class, *Instance, *Exception:
	default:
		if attr, ok := TypeOf(o).Lookup(name); ok {
			if p, ok := attr.(*Property); ok {
				if p.Set == nil && p.Member {
					return Errorf(ExcAttributeError, "readonly attribute")
				}
				if p.Set == nil {
					return Errorf(ExcAttributeError, "attribute '%s' of '%s' objects is not writable", name, TypeName(o))
				}
				return p.Set(o, orNone(v))
			}
		}
	}
	switch x := o.(type) {
	case *Class:
		if !x.heap {
			return Errorf(ExcTypeError, "cannot set '%s' attribute of immutable type '%s'", name, x.Name)
		}
		x.Dict[name] = orNone(v)
		return nil
	case *Instance, *Exception:
		instanceDict(x)[name] = orNone(v)
		return nil
	}
	return Errorf(ExcAttributeError, "'%s' object has no attribute '%s'", TypeName(o), name)
}

// CallMethod calls o.name(*args).
func CallMethod(o Object, name string, args ...Object) (Object, error) {
	v, exc := callMethod(o, name, args)
	return v, errOf(exc)
}

func callMethod(o Object, name string, args []Object) (Object, *Exception) {
	m, exc := getAttr(o, name)
	if exc != nil {
		return nil, exc
	}
	if b, ok := m.(*Method); ok {
		all := make([]Object, 0, len(args)+1)
		all = append(all, b.Self)
		v, err := b.Func.Fn(append(all, args...))
		if err != nil {
			return nil, AsException(err)
		}
		return orNone(v), nil
	}
	return call(m, args)
}
