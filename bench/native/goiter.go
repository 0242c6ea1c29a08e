package native

import (
	"iter"
	"runtime"
	"strconv"

	"github.com/aiterspec/aiterspec/bench"
)

// iterator is an async iterator as Go code writes one: next returns the
// next item, or ok=false at the end; stop releases it early and returns
// once its producer has finished (its deferred calls ran), as an awaited
// aclose() does.
type iterator struct {
	next func() (int, bool)
	stop func()
}

// flavour is a way of making iterators from a producer.
type flavour struct {
	gen func(seq iter.Seq[int]) iterator
	// sleep0 is what `await asyncio.sleep(0)` is for it: let the
	// scheduler run something else.
	sleep0 func()
}

var pullFlavour = flavour{
	gen: func(seq iter.Seq[int]) iterator {
		next, stop := iter.Pull(seq)
		return iterator{next: next, stop: stop}
	},
	sleep0: runtime.Gosched,
}

// chanFlavour runs the producer in its own goroutine. The channel is
// unbuffered, so the producer runs at most one item ahead of the
// consumer (an async generator runs none ahead; a buffered channel would
// run further).
var chanFlavour = flavour{
	gen: func(seq iter.Seq[int]) iterator {
		items := make(chan int)
		done := make(chan struct{})
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			defer close(items)
			for x := range seq {
				select {
				case items <- x:
				case <-done:
					return
				}
			}
		}()
		stopped := false
		return iterator{
			next: func() (int, bool) { x, ok := <-items; return x, ok },
			stop: func() {
				if !stopped {
					stopped = true
					close(done)
					<-finished
				}
			},
		}
	},
	sleep0: runtime.Gosched,
}

// count is the producer of most workloads: 0, 1, … n-1.
func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// drain iterates it to the end and returns the last item (-1 for none).
func drain(it iterator) int {
	x := -1
	for {
		v, ok := it.next()
		if !ok {
			return x
		}
		x = v
	}
}

// counter is a hand-written iterator, the Go counterpart of a class with
// __aiter__ and __anext__: no producer of its own.
type counter struct{ i, n int }

func (c *counter) next() (int, bool) {
	if c.i >= c.n {
		return 0, false
	}
	c.i++
	return c.i - 1, true
}

// relay re-yields every item of inner.
func relay(fl flavour, inner iterator) iterator {
	return fl.gen(func(yield func(int) bool) { relayAll(inner, yield) })
}

// relayAll yields every item of it, and reports false if the consumer
// stopped early; it stops it in either case.
func relayAll(it iterator, yield func(int) bool) bool {
	defer it.stop()
	for {
		x, ok := it.next()
		if !ok {
			return true
		}
		if !yield(x) {
			return false
		}
	}
}

// goNode is a node of the tree workload's tree.
type goNode struct {
	left, right *goNode
	value       int
}

func goTree(lo, hi int) *goNode {
	if lo >= hi {
		return nil
	}
	mid := (lo + hi) / 2
	return &goNode{left: goTree(lo, mid), value: mid, right: goTree(mid+1, hi)}
}

var bigGoTree = goTree(0, bench.TreeSize)

// walk is the tree's in-order iterator: one iterator per node, each
// re-yielding its children's items, as the Python workload's recursive
// async generator does.
func walk(fl flavour, t *goNode) iterator {
	return fl.gen(func(yield func(int) bool) {
		if t.left != nil && !relayAll(walk(fl, t.left), yield) {
			return
		}
		if !yield(t.value) {
			return
		}
		if t.right != nil {
			relayAll(walk(fl, t.right), yield)
		}
	})
}

// goLoops are the workloads' run(n) for the Go iterators, by workload ID.
var goLoops = map[string]func(fl flavour, n int) int{
	"asyncgen": func(fl flavour, n int) int { return drain(fl.gen(count(n))) },
	"class": func(_ flavour, n int) int {
		c := &counter{n: n}
		return drain(iterator{next: c.next, stop: func() {}})
	},
	"anext": func(fl flavour, n int) int {
		it := fl.gen(count(n))
		defer it.stop()
		x := -1
		for range n {
			x, _ = it.next()
		}
		return x
	},
	"comprehension": func(fl flavour, n int) int {
		it := fl.gen(count(n))
		var xs []int
		for {
			x, ok := it.next()
			if !ok {
				return len(xs)
			}
			xs = append(xs, x)
		}
	},
	"sleep0": func(fl flavour, n int) int {
		return drain(fl.gen(func(yield func(int) bool) {
			for i := range n {
				fl.sleep0()
				if !yield(i) {
					return
				}
			}
		}))
	},
	"tree": func(fl flavour, n int) int {
		x := -1
		for range n {
			x = drain(walk(fl, bigGoTree))
		}
		return x
	},
	"first-item": func(fl flavour, n int) int {
		x := -1
		for k := range n {
			x = drain(fl.gen(func(yield func(int) bool) { yield(k) }))
		}
		return x
	},
	"aclose": func(fl flavour, n int) int {
		closed := 0
		for range n {
			it := fl.gen(func(yield func(int) bool) {
				defer func() { closed++ }()
				if yield(1) {
					yield(2)
				}
			})
			it.next()
			it.stop()
		}
		return closed
	},
}

func init() {
	for _, k := range bench.ChainDepths {
		goLoops["chain-"+strconv.Itoa(k)] = func(fl flavour, n int) int {
			it := fl.gen(count(n))
			for range k {
				it = relay(fl, it)
			}
			return drain(it)
		}
	}
}
