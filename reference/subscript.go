package reference

// GetItem is o[k] (BINARY_SUBSCR): indexing a list, tuple or str by an
// int, a dict by a key, or calling __getitem__ of a runtime-defined
// class, with CPython's errors.
func GetItem(o, k Object) (Object, error) {
	v, exc := getItem(orNone(o), orNone(k))
	return v, errOf(exc)
}

func getItem(o, k Object) (Object, *Exception) {
	switch x := o.(type) {
	case *List:
		i, exc := seqIndex("list", k, len(x.Items))
		if exc != nil {
			return nil, exc
		}
		return x.Items[i], nil
	case *Tuple:
		i, exc := seqIndex("tuple", k, len(x.Items))
		if exc != nil {
			return nil, exc
		}
		return x.Items[i], nil
	case string:
		runes := []rune(x)
		i, exc := seqIndex("string", k, len(runes))
		if exc != nil {
			return nil, exc
		}
		return string(runes[i]), nil
	case *Dict:
		v, ok, err := x.Get(k)
		if err != nil {
			return nil, AsException(err)
		}
		if !ok {
			return nil, NewException(ExcKeyError, k)
		}
		return v, nil
	}
	if m, ok := lookupSpecial(o, "__getitem__"); ok {
		return callBound(m, o, []Object{k})
	}
	return nil, Errorf(ExcTypeError, "'%s' object is not subscriptable", TypeName(o))
}

// SetItem is o[k] = v (STORE_SUBSCR): a list element, a dict key, or
// __setitem__ of a runtime-defined class.
func SetItem(o, k, v Object) error {
	return errOf(setItem(orNone(o), orNone(k), orNone(v)))
}

func setItem(o, k, v Object) *Exception {
	switch x := o.(type) {
	case *List:
		i, exc := seqIndex("list assignment", k, len(x.Items))
		if exc != nil {
			return exc
		}
		x.Items[i] = v
		return nil
	case *Dict:
		return AsException(x.SetItem(k, v))
	}
	if m, ok := lookupSpecial(o, "__setitem__"); ok {
		_, exc := callBound(m, o, []Object{k, v})
		return exc
	}
	return Errorf(ExcTypeError, "'%s' object does not support item assignment", TypeName(o))
}

// seqIndex checks an index into a sequence of n items of the named kind
// ("list", "tuple", "string", "list assignment"), counting negative
// indices from the end.
func seqIndex(kind string, k Object, n int) (int, *Exception) {
	var i int
	switch x := k.(type) {
	case int:
		i = x
	case bool:
		i = 0
		if x {
			i = 1
		}
	default:
		switch kind {
		case "string":
			return 0, Errorf(ExcTypeError, "string indices must be integers, not '%s'", TypeName(k))
		case "list assignment":
			kind = "list"
		}
		return 0, Errorf(ExcTypeError, "%s indices must be integers or slices, not %s", kind, TypeName(k))
	}
	if i < 0 {
		i += n
	}
	if i < 0 || i >= n {
		return 0, Errorf(ExcIndexError, "%s index out of range", kind)
	}
	return i, nil
}

// Unpack is UNPACK_SEQUENCE, what `a, b = v` does: exactly n items of v,
// with CPython's errors ("cannot unpack non-iterable T object", "not
// enough values to unpack (expected n, got k)", "too many values to
// unpack (expected n)"). Errors of v's own __iter__ and __next__
// propagate unchanged.
func Unpack(v Object, n int) ([]Object, error) {
	v = orNone(v)
	switch x := v.(type) {
	case *Tuple:
		if len(x.Items) == n {
			return append([]Object(nil), x.Items...), nil
		}
	case *List:
		if len(x.Items) == n {
			return append([]Object(nil), x.Items...), nil
		}
	}
	it, exc := getIter(v)
	if exc != nil {
		if exc.Matches(ExcTypeError) && !hasIterSlot(v) {
			return nil, Errorf(ExcTypeError, "cannot unpack non-iterable %s object", TypeName(v))
		}
		return nil, exc
	}
	var items []Object
	for len(items) <= n {
		item, ok, exc := iterNext(it)
		if exc != nil {
			return nil, exc
		}
		if !ok {
			break
		}
		items = append(items, item)
	}
	switch {
	case len(items) < n:
		return nil, Errorf(ExcValueError, "not enough values to unpack (expected %d, got %d)", n, len(items))
	case len(items) > n:
		return nil, Errorf(ExcValueError, "too many values to unpack (expected %d)", n)
	}
	return items, nil
}

// hasIterSlot says whether v's type fills tp_iter or is a sequence: then
// a TypeError from iter(v) is its own, not "cannot unpack".
func hasIterSlot(v Object) bool {
	switch v.(type) {
	case *Instance, *Exception:
		_, iter := lookupSpecial(v, "__iter__")
		_, item := lookupSpecial(v, "__getitem__")
		return iter || item
	case string, *List, *Tuple, Iterable:
		return true
	}
	return false
}
