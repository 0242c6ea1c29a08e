package reference

import (
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
)

const hashModulus = 1<<61 - 1

// Hash is hash(o), matching CPython for None-free scalars and tuples of
// them (str uses a fixed hash, as if PYTHONHASHSEED were fixed).
func Hash(o Object) (int64, error) {
	h, exc := hash(o)
	return h, errOf(exc)
}

func hash(o Object) (int64, *Exception) {
	switch v := o.(type) {
	case nil, NoneType:
		return 0x5f3759df, nil
	case bool:
		if v {
			return 1, nil
		}
		return 0, nil
	case int:
		return hashInt(int64(v)), nil
	case float64:
		return hashFloat(v), nil
	case string:
		f := fnv.New64a()
		f.Write([]byte(v))
		h := int64(f.Sum64() >> 1)
		if h == -1 {
			h = -2
		}
		return h, nil
	case *Tuple:
		const p1, p2, p5 = 11400714785074694791, 14029467366897019727, 2870177450012600261
		acc := uint64(p5)
		for _, it := range v.Items {
			lane, exc := hash(it)
			if exc != nil {
				return 0, exc
			}
			acc += uint64(lane) * p2
			acc = acc<<31 | acc>>33
			acc *= p1
		}
		acc += uint64(len(v.Items)) ^ (p5 ^ 3527539)
		if acc == ^uint64(0) {
			return 1546275796, nil
		}
		return int64(acc), nil
	case *List, *Dict, *Set:
		return 0, Errorf(ExcTypeError, "unhashable type: '%s'", TypeName(o))
	case *Instance:
		if m, ok := lookupSpecial(v, "__hash__"); ok {
			if isNone(m) {
				return 0, Errorf(ExcTypeError, "unhashable type: '%s'", TypeName(o))
			}
			r, exc := callBound(m, v, nil)
			if exc != nil {
				return 0, exc
			}
			n, ok := r.(int)
			if !ok {
				return 0, Errorf(ExcTypeError, "__hash__ method should return an integer")
			}
			return hashInt(int64(n)), nil
		}
		if _, ok := lookupSpecial(v, "__eq__"); ok {
			return 0, Errorf(ExcTypeError, "unhashable type: '%s'", TypeName(o))
		}
		if v.Tuple != nil {
			return hash(v.Tuple)
		}
	}
	rv := reflect.ValueOf(o)
	if rv.Kind() == reflect.Pointer {
		p := uint64(rv.Pointer())
		return int64(p>>4 | p<<60), nil
	}
	if !rv.Comparable() {
		return 0, Errorf(ExcTypeError, "unhashable type: '%s'", TypeName(o))
	}
	f := fnv.New64a()
	fmt.Fprintf(f, "%#v", o)
	return int64(f.Sum64() >> 1), nil
}

func hashInt(n int64) int64 {
	var h int64
	if n >= 0 {
		h = n % hashModulus
	} else {
		h = -((-n) % hashModulus)
	}
	if h == -1 {
		h = -2
	}
	return h
}

// hashFloat is _Py_HashDouble.
func hashFloat(v float64) int64 {
	if math.IsInf(v, 0) {
		if v > 0 {
			return 314159
		}
		return -314159
	}
	if math.IsNaN(v) {
		return 0
	}
	m, e := math.Frexp(v)
	sign := int64(1)
	if m < 0 {
		sign, m = -1, -m
	}
	const bits = 61
	var x uint64
	for m != 0 {
		x = ((x << 28) & hashModulus) | x>>(bits-28)
		m *= 268435456.0
		e -= 28
		y := uint64(m)
		m -= float64(y)
		x += y
		if x >= hashModulus {
			x -= hashModulus
		}
	}
	if e >= 0 {
		e = e % bits
	} else {
		e = bits - 1 - ((-1 - e) % bits)
	}
	x = ((x << uint(e)) & hashModulus) | x>>(bits-uint(e))
	r := int64(x) * sign
	if r == -1 {
		r = -2
	}
	return r
}

// Equal is a == b for builtin values (numbers across int, float and
// bool; strings; tuples, lists, dicts and sets by content), __eq__ for
// runtime-defined classes, identity otherwise.
func Equal(a, b Object) (bool, error) {
	r, exc := equal(a, b)
	return r, errOf(exc)
}

func equal(a, b Object) (bool, *Exception) {
	a, b = orNone(a), orNone(b)
	if fa, ok := number(a); ok {
		if fb, ok := number(b); ok {
			return fa == fb, nil
		}
		return false, nil
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y, nil
	case *Tuple:
		y, ok := asTuple(b)
		return ok && seqEqual(x.Items, y.Items), nil
	case *List:
		y, ok := b.(*List)
		return ok && seqEqual(x.Items, y.Items), nil
	case *Set:
		y, ok := b.(*Set)
		if !ok || x.used != y.used {
			return false, nil
		}
		for _, it := range x.Items() {
			if in, _ := y.Contains(it); !in {
				return false, nil
			}
		}
		return true, nil
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.n != y.n {
			return false, nil
		}
		for _, e := range x.entries {
			if !e.live {
				continue
			}
			v, found, _ := y.Get(e.key)
			if !found {
				return false, nil
			}
			if eq, exc := equal(e.val, v); exc != nil || !eq {
				return false, exc
			}
		}
		return true, nil
	case *Instance:
		if m, ok := lookupSpecial(x, "__eq__"); ok {
			r, exc := callBound(m, x, []Object{b})
			if exc != nil {
				return false, exc
			}
			return truth(r)
		}
		if x.Tuple != nil {
			y, ok := asTuple(b)
			return ok && seqEqual(x.Tuple.Items, y.Items), nil
		}
	}
	return Is(a, b), nil
}

// asTuple is o's items when o is a tuple or an instance of a class
// deriving from tuple.
func asTuple(o Object) (*Tuple, bool) {
	switch v := o.(type) {
	case *Tuple:
		return v, true
	case *Instance:
		return v.Tuple, v.Tuple != nil
	}
	return nil, false
}

func seqEqual(x, y []Object) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if eq, exc := equal(x[i], y[i]); exc != nil || !eq {
			return false
		}
	}
	return true
}

func number(o Object) (float64, bool) {
	switch v := o.(type) {
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case int:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// Truth is bool(o): __bool__, then __len__, for runtime-defined classes.
func Truth(o Object) (bool, error) {
	b, exc := truth(o)
	return b, errOf(exc)
}

func truth(o Object) (bool, *Exception) {
	switch v := o.(type) {
	case nil, NoneType:
		return false, nil
	case bool:
		return v, nil
	case int:
		return v != 0, nil
	case float64:
		return v != 0, nil
	case string:
		return v != "", nil
	case *Tuple:
		return len(v.Items) > 0, nil
	case *List:
		return len(v.Items) > 0, nil
	case *Dict:
		return v.n > 0, nil
	case *Set:
		return v.used > 0, nil
	case *Instance:
		if m, ok := lookupSpecial(v, "__bool__"); ok {
			r, exc := callBound(m, v, nil)
			if exc != nil {
				return false, exc
			}
			b, ok := r.(bool)
			if !ok {
				return false, Errorf(ExcTypeError, "__bool__ should return bool, returned %s", TypeName(r))
			}
			return b, nil
		}
		if m, ok := lookupSpecial(v, "__len__"); ok {
			r, exc := callBound(m, v, nil)
			if exc != nil {
				return false, exc
			}
			n, ok := r.(int)
			if !ok {
				return false, Errorf(ExcTypeError, "'%s' object cannot be interpreted as an integer", TypeName(r))
			}
			return n != 0, nil
		}
	}
	return true, nil
}
