package reference

import (
	"iter"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"
)

// benchItem is the value every benchmark yields. It is below 256
// because Go stores such integers in an interface without allocating
// (runtime.staticuint64s); a larger int would cost one allocation per
// item for the boxing alone and hide what the protocol costs.
const benchItem = 7

var sink Object

// countdown is a class-based async iterator written in Go: __aiter__
// and __anext__ return itself, and it is its own awaitable whose
// iterator finishes at once with the item, the way an async def
// __anext__ that never suspends behaves, without allocating.
type countdown struct{ n int }

var countdownType = newBuiltinClass("countdown", "bench", ObjectType)

func (c *countdown) PyType() *Class         { return countdownType }
func (c *countdown) AIter() (Object, error) { return c, nil }
func (c *countdown) ANext() (Object, error) { return c, nil }
func (c *countdown) Await() (Object, error) { return c, nil }
func (c *countdown) AmSend(Object) (Object, bool, error) {
	if c.n == 0 {
		return nil, false, NewException(ExcStopAsyncIteration)
	}
	c.n--
	return benchItem, false, nil
}

// measure runs loop over n items inside a coroutine driven by
// asyncio.run and reports the per-item cost of the loop alone.
func measure(b *testing.B, n int, loop func(f *Frame) error) {
	rt := NewRuntime()
	defer rt.Close()
	var elapsed time.Duration
	var mallocs uint64
	main := rt.NewCoroutine("main", "main", func(f *Frame) (Object, error) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		err := loop(f)
		elapsed = time.Since(start)
		runtime.ReadMemStats(&ms)
		mallocs = ms.Mallocs - before
		return None, err
	})
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := rt.Run(main); err != nil {
		b.Fatal(err)
	}
	report(b, n, elapsed, mallocs)
}

func report(b *testing.B, n int, elapsed time.Duration, mallocs uint64) {
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/item")
	b.ReportMetric(float64(mallocs)/float64(n), "allocs/item")
}

func consume(f *Frame, it Object) error {
	_, err := f.AsyncFor(it, func(x Object) (bool, error) {
		sink = x
		return false, nil
	})
	return err
}

// BenchmarkAsyncFor measures async for per item: over an async
// generator, over a class-based iterator, and, as the baseline in the
// same run, a bare iter.Pull loop over as many items (one coroutine
// switch pair per item, the least an async generator can cost).
func BenchmarkAsyncFor(b *testing.B) {
	b.Run("subject=asyncgen/impl=reference", func(b *testing.B) {
		n := b.N
		measure(b, n, func(f *Frame) error {
			g := f.Runtime().NewAsyncGenerator("gen", "gen", func(gf *Frame) error {
				for range n {
					if _, err := gf.Yield(benchItem); err != nil {
						return err
					}
				}
				return nil
			})
			return consume(f, g)
		})
	})
	b.Run("subject=class/impl=reference", func(b *testing.B) {
		n := b.N
		measure(b, n, func(f *Frame) error { return consume(f, &countdown{n: n}) })
	})
	b.Run("subject=baseline/impl=iter.Pull", func(b *testing.B) {
		n := b.N
		var ms runtime.MemStats
		b.ReportAllocs()
		b.ResetTimer()
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		pullLoop(n)
		elapsed := time.Since(start)
		runtime.ReadMemStats(&ms)
		report(b, n, elapsed, ms.Mallocs-before)
	})
}

// TestAsyncForAllocatesNothingPerItem pins the allocation goal: after
// the loop's setup, neither subject allocates per item.
func TestAsyncForAllocatesNothingPerItem(t *testing.T) {
	for _, subject := range []string{"asyncgen", "class"} {
		t.Run(subject, func(t *testing.T) {
			per := func(n int) uint64 {
				rt := NewRuntime()
				defer rt.Close()
				var mallocs uint64
				main := rt.NewCoroutine("main", "main", func(f *Frame) (Object, error) {
					var it Object = &countdown{n: n}
					if subject == "asyncgen" {
						it = rt.NewAsyncGenerator("gen", "gen", func(gf *Frame) error {
							for range n {
								if _, err := gf.Yield(benchItem); err != nil {
									return err
								}
							}
							return nil
						})
					}
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					before := ms.Mallocs
					err := consume(f, it)
					runtime.ReadMemStats(&ms)
					mallocs = ms.Mallocs - before
					return None, err
				})
				if _, err := rt.Run(main); err != nil {
					t.Fatal(err)
				}
				return mallocs
			}
			small, large := per(10), per(10010)
			if large > small+10 {
				t.Errorf("10000 more items cost %d more allocations (%d vs %d)", large-small, large, small)
			}
		})
	}
}

// TestAsyncGenSpeedRatio compares async for over an async generator
// with the bare iter.Pull loop: many short rounds, interleaved so that
// machine load hits both alike, timed with the thread's CPU clock where
// there is one; it fails when the ratio of the medians exceeds 1.2.
// Timing depends on the machine, so it runs only when
// AITERSPEC_SPEED=1.
func TestAsyncGenSpeedRatio(t *testing.T) {
	if os.Getenv("AITERSPEC_SPEED") != "1" {
		t.Skip("set AITERSPEC_SPEED=1 to compare speed with iter.Pull")
	}
	const n, rounds = 20000, 300
	// The coroutines must be created with the thread already locked.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rt := NewRuntime()
	defer rt.Close()
	var pull, agen []float64
	main := rt.NewCoroutine("main", "main", func(f *Frame) (Object, error) {
		for range rounds {
			c0 := cpuClock()
			pullLoop(n)
			pull = append(pull, float64(cpuClock()-c0)/n)
			g := rt.NewAsyncGenerator("gen", "gen", func(gf *Frame) error {
				for range n {
					if _, err := gf.Yield(benchItem); err != nil {
						return err
					}
				}
				return nil
			})
			c0 = cpuClock()
			if err := consume(f, g); err != nil {
				return nil, err
			}
			agen = append(agen, float64(cpuClock()-c0)/n)
		}
		return None, nil
	})
	if _, err := rt.Run(main); err != nil {
		t.Fatal(err)
	}
	sort.Float64s(pull)
	sort.Float64s(agen)
	p, a := pull[rounds/2], agen[rounds/2]
	t.Logf("median per item: iter.Pull %.1f ns, async generator %.1f ns, ratio %.3f", p, a, a/p)
	if a/p > 1.2 {
		t.Errorf("ratio %.3f exceeds 1.2", a/p)
	}
}

// pullLoop is the baseline both measurements compare with: n items
// through a bare iter.Pull coroutine, one switch pair each.
func pullLoop(n int) {
	next, stop := iter.Pull(func(yield func(Object) bool) {
		for range n {
			if !yield(benchItem) {
				return
			}
		}
	})
	defer stop()
	for {
		v, ok := next()
		if !ok {
			return
		}
		sink = v
	}
}
