package reference

import (
	"fmt"
	"path"
	"strings"
)

// Exception is a Python exception instance. It is the only error type
// the package returns, and raising it keeps its identity: the same
// pointer arrives wherever it is caught.
type Exception struct {
	// Class is type(e), an exception class.
	Class *Class
	// Args is e.args.
	Args []Object
	// Cause is __cause__ (raise ... from ...); Context is __context__.
	Cause, Context  *Exception
	SuppressContext bool
	// Attrs holds other attributes (StopIteration.value once set,
	// SyntaxError.msg/lineno, user attributes).
	Attrs map[string]Object
}

// NewException returns cls(*args) without running a runtime-defined
// __init__ (use cls.Call for that). cls must be an exception class.
func NewException(cls *Class, args ...Object) *Exception {
	if !cls.exc {
		panic("reference: NewException of non-exception class " + cls.Name)
	}
	return &Exception{Class: cls, Args: args}
}

// Errorf returns cls(message) with the message formatted by
// fmt.Sprintf.
func Errorf(cls *Class, format string, a ...any) *Exception {
	return NewException(cls, fmt.Sprintf(format, a...))
}

// Error implements error as Python's "Type: str(e)", or just "Type"
// when str(e) is empty.
func (e *Exception) Error() string {
	s := e.Str()
	if s == "" {
		return e.Class.Name
	}
	return e.Class.Name + ": " + s
}

// PyType implements [Typer].
func (e *Exception) PyType() *Class { return e.Class }

// Matches reports isinstance(e, cls).
func (e *Exception) Matches(cls *Class) bool { return e.Class.IsSubclass(cls) }

// Str is str(e): "" for no args, str(arg) for one (repr(arg) for
// KeyError), the args tuple's repr for several; SyntaxError appends
// " (file, line N)".
func (e *Exception) Str() string {
	if e.Class.IsSubclass(ExcSyntaxError) {
		return e.syntaxStr()
	}
	switch len(e.Args) {
	case 0:
		return ""
	case 1:
		if e.Class.IsSubclass(ExcKeyError) {
			return reprOr(e.Args[0])
		}
		return strOr(e.Args[0])
	}
	return reprOr(NewTuple(e.Args...))
}

// Repr is repr(e), e.g. "ValueError('x')" or "StopAsyncIteration()".
func (e *Exception) Repr() string {
	if len(e.Args) == 1 {
		return e.Class.Name + "(" + reprOr(e.Args[0]) + ")"
	}
	return e.Class.Name + reprOr(NewTuple(e.Args...))
}

// Value is StopIteration.value: the value attribute when set, else the
// first argument, else None.
func (e *Exception) Value() Object {
	if v, ok := e.Attrs["value"]; ok {
		return v
	}
	if len(e.Args) > 0 {
		return e.Args[0]
	}
	return None
}

// AsException converts an error from an interpreter callback into an
// *Exception: nil stays nil, an *Exception is returned unchanged, any
// other Go error becomes SystemError carrying its text.
func AsException(err error) *Exception {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Exception); ok {
		if e == nil {
			return nil
		}
		return e
	}
	return Errorf(ExcSystemError, "%s", err.Error())
}

// errOf avoids returning a typed nil inside an error interface.
func errOf(e *Exception) error {
	if e == nil {
		return nil
	}
	return e
}

// fromCause is _PyErr_FormatFromCause: a new exception whose __cause__
// and __context__ are cause.
func fromCause(cls *Class, cause *Exception, format string, a ...any) *Exception {
	e := Errorf(cls, format, a...)
	e.Cause, e.Context, e.SuppressContext = cause, cause, true
	return e
}

// NewSyntaxError returns SyntaxError(msg, (filename, lineno, offset,
// text, lineno, offset)) as compile() raises it. Its str() is
// "msg (file, line N)"; e.msg and e.lineno are attributes.
func NewSyntaxError(msg, filename string, lineno, offset int, text string) *Exception {
	details := NewTuple(filename, lineno, offset, text, lineno, offset)
	e := NewException(ExcSyntaxError, msg, details)
	e.Attrs = map[string]Object{
		"msg": msg, "filename": filename, "lineno": lineno, "offset": offset,
		"text": text, "end_lineno": lineno, "end_offset": offset,
	}
	return e
}

func (e *Exception) syntaxStr() string {
	msg, ok := e.Attrs["msg"]
	if !ok {
		msg = None
		if len(e.Args) > 0 {
			msg = e.Args[0]
		}
	}
	s := strOr(msg)
	file, hasFile := e.Attrs["filename"].(string)
	line, hasLine := e.Attrs["lineno"].(int)
	switch {
	case hasFile && hasLine:
		return fmt.Sprintf("%s (%s, line %d)", s, path.Base(file), line)
	case hasFile:
		return fmt.Sprintf("%s (%s)", s, path.Base(file))
	case hasLine:
		return fmt.Sprintf("%s (line %d)", s, line)
	}
	return s
}

// FormatException renders e as the last lines of a traceback: each
// cause or context first, joined by CPython's linking sentences.
func FormatException(e *Exception) string {
	var b strings.Builder
	formatChain(&b, e, map[*Exception]bool{})
	return b.String()
}

func formatChain(b *strings.Builder, e *Exception, seen map[*Exception]bool) {
	seen[e] = true
	if e.Cause != nil && !seen[e.Cause] {
		formatChain(b, e.Cause, seen)
		b.WriteString("\nThe above exception was the direct cause of the following exception:\n\n")
	} else if e.Context != nil && !e.SuppressContext && !seen[e.Context] {
		formatChain(b, e.Context, seen)
		b.WriteString("\nDuring handling of the above exception, another exception occurred:\n\n")
	}
	b.WriteString(e.Error())
	b.WriteString("\n")
}

func excClass(name string, base *Class) *Class {
	c := newBuiltinClass(name, "", base)
	c.exc = true
	return c
}

// The builtin exception hierarchy, named after CPython's PyExc_*.
var (
	ExcBaseException = func() *Class {
		c := newBuiltinClass("BaseException", "", ObjectType)
		c.exc = true
		return c
	}()
	ExcException           = excClass("Exception", ExcBaseException)
	ExcGeneratorExit       = excClass("GeneratorExit", ExcBaseException)
	ExcSystemExit          = excClass("SystemExit", ExcBaseException)
	ExcKeyboardInterrupt   = excClass("KeyboardInterrupt", ExcBaseException)
	ExcStopIteration       = excClass("StopIteration", ExcException)
	ExcStopAsyncIteration  = excClass("StopAsyncIteration", ExcException)
	ExcArithmeticError     = excClass("ArithmeticError", ExcException)
	ExcZeroDivisionError   = excClass("ZeroDivisionError", ExcArithmeticError)
	ExcAssertionError      = excClass("AssertionError", ExcException)
	ExcAttributeError      = excClass("AttributeError", ExcException)
	ExcLookupError         = excClass("LookupError", ExcException)
	ExcIndexError          = excClass("IndexError", ExcLookupError)
	ExcKeyError            = excClass("KeyError", ExcLookupError)
	ExcNameError           = excClass("NameError", ExcException)
	ExcUnboundLocalError   = excClass("UnboundLocalError", ExcNameError)
	ExcOSError             = excClass("OSError", ExcException)
	ExcTimeoutError        = excClass("TimeoutError", ExcOSError)
	ExcRuntimeError        = excClass("RuntimeError", ExcException)
	ExcNotImplementedError = excClass("NotImplementedError", ExcRuntimeError)
	ExcRecursionError      = excClass("RecursionError", ExcRuntimeError)
	ExcMemoryError         = excClass("MemoryError", ExcException)
	ExcSyntaxError         = excClass("SyntaxError", ExcException)
	ExcSystemError         = excClass("SystemError", ExcException)
	ExcTypeError           = excClass("TypeError", ExcException)
	ExcValueError          = excClass("ValueError", ExcException)
	ExcWarning             = excClass("Warning", ExcException)
	ExcRuntimeWarning      = excClass("RuntimeWarning", ExcWarning)
	ExcResourceWarning     = excClass("ResourceWarning", ExcWarning)
	ExcDeprecationWarning  = excClass("DeprecationWarning", ExcWarning)

	// ExcCancelledError is asyncio.CancelledError, a BaseException
	// subclass since Python 3.8.
	ExcCancelledError = func() *Class {
		c := excClass("CancelledError", ExcBaseException)
		c.Module = "asyncio.exceptions"
		return c
	}()
	// ExcInvalidStateError is asyncio.InvalidStateError.
	ExcInvalidStateError = func() *Class {
		c := excClass("InvalidStateError", ExcException)
		c.Module = "asyncio.exceptions"
		return c
	}()
)

func init() {
	prop := func(get func(e *Exception) Object) *Property {
		return &Property{Get: func(self Object) (Object, error) { return get(self.(*Exception)), nil }}
	}
	ExcBaseException.Dict["args"] = prop(func(e *Exception) Object { return NewTuple(e.Args...) })
	ExcBaseException.Dict["__cause__"] = prop(func(e *Exception) Object { return excOrNone(e.Cause) })
	ExcBaseException.Dict["__context__"] = prop(func(e *Exception) Object { return excOrNone(e.Context) })
	ExcBaseException.Dict["__suppress_context__"] = prop(func(e *Exception) Object { return e.SuppressContext })
	ExcBaseException.Dict["__traceback__"] = prop(func(*Exception) Object { return None })
	ExcStopIteration.Dict["value"] = prop(func(e *Exception) Object { return e.Value() })
	ExcSystemExit.Dict["code"] = prop(func(e *Exception) Object {
		switch len(e.Args) {
		case 0:
			return None
		case 1:
			return e.Args[0]
		}
		return NewTuple(e.Args...)
	})
	for _, n := range []string{"msg", "filename", "lineno", "offset", "text", "end_lineno", "end_offset"} {
		n := n
		ExcSyntaxError.Dict[n] = prop(func(e *Exception) Object {
			if v, ok := e.Attrs[n]; ok {
				return v
			}
			if n == "msg" && len(e.Args) > 0 {
				return e.Args[0]
			}
			return None
		})
	}
}

func excOrNone(e *Exception) Object {
	if e == nil {
		return None
	}
	return e
}

// stopIteration is StopIteration(value) as _PyGen_SetStopIterationValue
// builds it: no args for None.
func stopIteration(v Object) *Exception {
	if isNone(v) {
		return NewException(ExcStopIteration)
	}
	return NewException(ExcStopIteration, v)
}

// normalizeThrow validates throw()/athrow() arguments as _gen_throw
// does: it returns the exception instance to raise, or the TypeError
// that refuses the arguments.
func normalizeThrow(typ, val, tb Object) (toRaise, bad *Exception) {
	if tb != nil && !isNone(tb) {
		return nil, Errorf(ExcTypeError, "throw() third argument must be a traceback object")
	}
	switch t := typ.(type) {
	case *Class:
		if t.exc {
			return instantiateException(t, val), nil
		}
	case *Exception:
		if val != nil && !isNone(val) {
			return nil, Errorf(ExcTypeError, "instance exception may not have a separate value")
		}
		return t, nil
	}
	return nil, Errorf(ExcTypeError, "exceptions must be classes or instances deriving from BaseException, not %s", TypeName(typ))
}

// thrown is what a throw delivers: a ready exception, or throw()'s
// raw arguments. Raw arguments are validated only where the exception
// is finally raised, at the innermost generator of an await chain, as
// _gen_throw does; every frame delegating to it then sees the
// resulting TypeError raised at its await.
type thrown struct {
	exc          *Exception
	typ, val, tb Object
}

func ready(e *Exception) thrown { return thrown{exc: e} }

func (t thrown) normalize() (toRaise, bad *Exception) {
	if t.exc != nil {
		return t.exc, nil
	}
	return normalizeThrow(t.typ, t.val, t.tb)
}

// matches is PyErr_GivenExceptionMatches on the type argument.
func (t thrown) matches(cls *Class) bool {
	if t.exc != nil {
		return t.exc.Matches(cls)
	}
	switch v := t.typ.(type) {
	case *Exception:
		return v.Matches(cls)
	case *Class:
		return v.IsSubclass(cls)
	}
	return false
}

// args are the arguments to pass to a Python-level throw method.
func (t thrown) args() []Object {
	if t.exc != nil {
		return []Object{t.exc}
	}
	switch {
	case t.tb != nil:
		return []Object{t.typ, orNone(t.val), t.tb}
	case t.val != nil:
		return []Object{t.typ, t.val}
	}
	return []Object{t.typ}
}

// instantiateException is PyErr_NormalizeException: val becomes the
// instance when it already is one, else the constructor arguments.
func instantiateException(cls *Class, val Object) *Exception {
	var args []Object
	switch v := val.(type) {
	case nil, NoneType:
	case *Exception:
		if v.Matches(cls) {
			return v
		}
		args = []Object{v}
	case *Tuple:
		args = v.Items
	default:
		args = []Object{v}
	}
	r, err := cls.Call(args)
	if err != nil {
		return AsException(err)
	}
	if e, ok := r.(*Exception); ok {
		return e
	}
	return Errorf(ExcTypeError, "calling %s should have returned an instance of BaseException, not %s", cls.Name, TypeName(r))
}

// ExceptionFrom turns a raised value into the exception to raise, as
// the raise statement does: an exception class is instantiated with
// no arguments; anything else is a TypeError.
func ExceptionFrom(v Object) *Exception {
	switch t := v.(type) {
	case *Exception:
		return t
	case *Class:
		if t.exc {
			return instantiateException(t, nil)
		}
	}
	return Errorf(ExcTypeError, "exceptions must derive from BaseException")
}
