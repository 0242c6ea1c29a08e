package reference

// Tuple is a Python tuple. Items must not be changed once the tuple
// is shared.
type Tuple struct {
	// Items are the elements.
	Items []Object
}

// NewTuple returns a tuple of items.
func NewTuple(items ...Object) *Tuple { return &Tuple{Items: items} }

// PyType implements [Typer].
func (t *Tuple) PyType() *Class { return TupleType }

// Iter implements [Iterable] with a tuple_iterator.
func (t *Tuple) Iter() (Object, error) {
	return &seqIterator{items: &t.Items, cls: TupleIteratorType}, nil
}

// List is a Python list.
type List struct {
	// Items are the elements; the list may be changed through them.
	Items []Object
}

// NewList returns a list of items.
func NewList(items ...Object) *List { return &List{Items: items} }

// PyType implements [Typer].
func (l *List) PyType() *Class { return ListType }

// Iter implements [Iterable] with a list_iterator, which sees items
// appended during iteration, as CPython's does.
func (l *List) Iter() (Object, error) {
	return &seqIterator{items: &l.Items, cls: ListIteratorType}, nil
}

// Append is list.append.
func (l *List) Append(v Object) { l.Items = append(l.Items, orNone(v)) }

type seqIterator struct {
	items *[]Object
	i     int
	cls   *Class
}

func (it *seqIterator) PyType() *Class        { return it.cls }
func (it *seqIterator) Iter() (Object, error) { return it, nil }
func (it *seqIterator) Next() (Object, bool, error) {
	if it.items == nil || it.i >= len(*it.items) {
		it.items = nil
		return nil, false, nil
	}
	v := (*it.items)[it.i]
	it.i++
	return v, true, nil
}

type strIterator struct {
	rs []rune
	i  int
}

func (it *strIterator) PyType() *Class        { return StrIteratorType }
func (it *strIterator) Iter() (Object, error) { return it, nil }
func (it *strIterator) Next() (Object, bool, error) {
	if it.i >= len(it.rs) {
		return nil, false, nil
	}
	it.i++
	return string(it.rs[it.i-1]), true, nil
}

// Dict is a Python dict; it keeps insertion order.
type Dict struct {
	entries []dictEntry
	index   map[int64][]int
	n       int
}

type dictEntry struct {
	key, val Object
	hash     int64
	live     bool
}

// NewDict returns an empty dict.
func NewDict() *Dict { return &Dict{index: map[int64][]int{}} }

// PyType implements [Typer].
func (d *Dict) PyType() *Class { return DictType }

// Len is len(d).
func (d *Dict) Len() int { return d.n }

func (d *Dict) find(k Object) (int, int64, *Exception) {
	h, exc := hash(k)
	if exc != nil {
		return -1, 0, exc
	}
	for _, i := range d.index[h] {
		e := &d.entries[i]
		if !e.live {
			continue
		}
		eq, exc := equal(e.key, k)
		if exc != nil {
			return -1, h, exc
		}
		if eq {
			return i, h, nil
		}
	}
	return -1, h, nil
}

// Get returns d[k] and whether k is present; unhashable keys raise
// TypeError.
func (d *Dict) Get(k Object) (Object, bool, error) {
	i, _, exc := d.find(orNone(k))
	if exc != nil || i < 0 {
		return nil, false, errOf(exc)
	}
	return d.entries[i].val, true, nil
}

// SetItem is d[k] = v.
func (d *Dict) SetItem(k, v Object) error {
	k, v = orNone(k), orNone(v)
	i, h, exc := d.find(k)
	if exc != nil {
		return exc
	}
	if i >= 0 {
		d.entries[i].val = v
		return nil
	}
	d.index[h] = append(d.index[h], len(d.entries))
	d.entries = append(d.entries, dictEntry{key: k, val: v, hash: h, live: true})
	d.n++
	return nil
}

// Delete is del d[k]; a missing key raises KeyError(k).
func (d *Dict) Delete(k Object) error {
	i, _, exc := d.find(orNone(k))
	if exc != nil {
		return exc
	}
	if i < 0 {
		return NewException(ExcKeyError, k)
	}
	d.entries[i] = dictEntry{}
	d.n--
	return nil
}

// Keys returns the keys in insertion order.
func (d *Dict) Keys() []Object {
	out := make([]Object, 0, d.n)
	for _, e := range d.entries {
		if e.live {
			out = append(out, e.key)
		}
	}
	return out
}

// Values returns the values in insertion order.
func (d *Dict) Values() []Object {
	out := make([]Object, 0, d.n)
	for _, e := range d.entries {
		if e.live {
			out = append(out, e.val)
		}
	}
	return out
}

// Iter implements [Iterable] over a snapshot of the keys.
func (d *Dict) Iter() (Object, error) {
	ks := d.Keys()
	return &seqIterator{items: &ks, cls: DictKeyIteratorType}, nil
}

// Set is a Python set. It reproduces CPython's hash table so that
// iteration order matches CPython for ints, floats, bools and tuples
// of them (str hashes are randomised per process in CPython, so no
// order of strings is "the" order).
type Set struct {
	table      []setEntry
	fill, used int
}

type setEntry struct {
	key   Object
	hash  int64
	state uint8 // 0 unused, 1 active, 2 dummy
}

const setMinSize = 8

// NewSet returns an empty set.
func NewSet() *Set { return &Set{table: make([]setEntry, setMinSize)} }

// PyType implements [Typer].
func (s *Set) PyType() *Class { return SetType }

// Len is len(s).
func (s *Set) Len() int { return s.used }

// Add is s.add(k).
func (s *Set) Add(k Object) error {
	k = orNone(k)
	h, exc := hash(k)
	if exc != nil {
		return exc
	}
	mask := uint64(len(s.table) - 1)
	i := uint64(h) & mask
	perturb := uint64(h)
	free := -1
	for {
		probes := 0
		if i+9 <= mask {
			probes = 9
		}
		for j := i; j <= i+uint64(probes); j++ {
			e := &s.table[j]
			switch e.state {
			case 0:
				if free >= 0 {
					s.table[free] = setEntry{key: k, hash: h, state: 1}
					s.used++
					return nil
				}
				*e = setEntry{key: k, hash: h, state: 1}
				s.fill++
				s.used++
				if uint64(s.fill)*5 >= mask*3 {
					n := s.used * 4
					if s.used > 50000 {
						n = s.used * 2
					}
					s.resize(n)
				}
				return nil
			case 1:
				if e.hash == h {
					eq, exc := equal(e.key, k)
					if exc != nil {
						return exc
					}
					if eq {
						return nil
					}
				}
			case 2:
				if free < 0 {
					free = int(j)
				}
			}
		}
		perturb >>= 5
		i = (i*5 + 1 + perturb) & mask
	}
}

func (s *Set) resize(minused int) {
	size := setMinSize
	for size <= minused {
		size <<= 1
	}
	old := s.table
	s.table = make([]setEntry, size)
	mask := uint64(size - 1)
	for _, e := range old {
		if e.state != 1 {
			continue
		}
		i := uint64(e.hash) & mask
		perturb := uint64(e.hash)
	probe:
		for {
			if s.table[i].state == 0 {
				break
			}
			if i+9 <= mask {
				for j := uint64(1); j <= 9; j++ {
					if s.table[i+j].state == 0 {
						i += j
						break probe
					}
				}
			}
			perturb >>= 5
			i = (i*5 + 1 + perturb) & mask
		}
		s.table[i] = e
	}
	s.fill = s.used
}

// Contains is k in s.
func (s *Set) Contains(k Object) (bool, error) {
	for _, e := range s.table {
		if e.state == 1 {
			eq, exc := equal(e.key, orNone(k))
			if exc != nil {
				return false, exc
			}
			if eq {
				return true, nil
			}
		}
	}
	return false, nil
}

// Items returns the elements in CPython's iteration order.
func (s *Set) Items() []Object {
	out := make([]Object, 0, s.used)
	for _, e := range s.table {
		if e.state == 1 {
			out = append(out, e.key)
		}
	}
	return out
}

// Iter implements [Iterable] over a snapshot of the elements.
func (s *Set) Iter() (Object, error) {
	items := s.Items()
	return &seqIterator{items: &items, cls: SetIteratorType}, nil
}
