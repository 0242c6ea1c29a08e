package spec

import (
	"strconv"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group Z: the seed tutorial's nine example programs, run
// verbatim as scripts (cpython-3.11-catalogue.md, Z01–Z09). Each printed
// line is an event "stdout"; the exception that ends a failing program is
// the last observation, with its cause.
var _ = family("Z", func() {
	behaviour("Z01", "tutorial ex.1: six anext() calls on get_evens(10) (5 values)",
		spec("tutorial example 1: six anext() on get_evens(10) print 0 2 4 6 8, then StopAsyncIteration ends the program").
			Source(z01Program).
			Observes(then(zOut(0, 2, 4, 6, 8), Raises("StopAsyncIteration", ""))...),
	)

	behaviour("Z02", "tutorial ex.2: sync for over get_evens(10)",
		spec("tutorial example 2: a plain for over get_evens(10) prints nothing and ends with TypeError").
			Source(z02Program).
			Observes(Raises("TypeError", "'async_generator' object is not iterable")),
	)

	behaviour("Z03", "tutorial ex.3: async for over get_evens(10)",
		spec("tutorial example 3: async for over get_evens(10) prints 0 2 4 6 8").
			Source(z03Program).
			Observes(zOut(0, 2, 4, 6, 8)...),
	)

	behaviour("Z04", "tutorial ex.4: async for at module level, run as a script",
		spec("tutorial example 4: a module-level async for fails to compile at line 6").
			Source(z04Program).
			Observes(Raises("SyntaxError", "'async for' outside async function").AtLine(6)),
	)

	behaviour("Z05", "tutorial ex.5: async for over get_odds(10)",
		spec("tutorial example 5: async for over get_odds(10) prints 1 3 5 7 9").
			Source(z05Program).
			Observes(zOut(1, 3, 5, 7, 9)...),
	)

	behaviour("Z06", "tutorial ex.6: list of four anext(odds) awaitables, awaited in a plain for loop",
		spec("tutorial example 6: four anext(odds) awaitables awaited in a plain for print 1 3 5 7").
			Source(z06Program).
			Observes(zOut(1, 3, 5, 7)...),
	)

	behaviour("Z07", "tutorial ex.7: async for over a list of anext() awaitables",
		spec("tutorial example 7: async for over a list of anext() awaitables prints nothing and ends with TypeError naming list").
			Source(z07Program).
			Observes(Raises("TypeError", "'async for' requires an object with __aiter__ method, got list")),
	)

	behaviour("Z08", "tutorial ex.8: class EvensGenerator with async def `__anext__`",
		spec("tutorial example 8: async for over EvensGenerator(20) prints 0 2 4 ... 18").
			Source(z08Program).
			Observes(zOut(0, 2, 4, 6, 8, 10, 12, 14, 16, 18)...),
	)

	behaviour("Z09", "tutorial ex.9: EvensGenerator with plain def `__anext__` returning int",
		spec("tutorial example 9: a plain def __anext__ returning an int ends async for with a chained TypeError").
			Source(z09Program).
			Observes(Raises("TypeError", "'async for' received an invalid object from __anext__: int").
				CausedBy("TypeError", "object int can't be used in 'await' expression")),
	)
})

// zOut is one "stdout" event per printed int, in order.
func zOut(ints ...int) []Observation {
	obs := make([]Observation, len(ints))
	for i, n := range ints {
		obs[i] = Event("stdout", strconv.Itoa(n))
	}
	return obs
}

// The tutorial's programs, verbatim (trailing spaces included).
const (
	z01Program = `import asyncio

async def get_evens(n):
   for i in range(n):
      if i % 2 == 0: 
         yield i

async def main():
   evens = get_evens(10)
   print(await anext(evens))
   print(await anext(evens))
   print(await anext(evens))
   print(await anext(evens))
   print(await anext(evens))
   print(await anext(evens))

asyncio.run(main())
`
	z02Program = `import asyncio

async def get_evens(n):
   for i in range(n):
      if i % 2 == 0: 
         yield i

async def main():
   for i in get_evens(10):
      print(i)

asyncio.run(main())
`
	z03Program = `import asyncio

async def get_evens(n):
   for i in range(n):
      if i % 2 == 0: 
         yield i

async def main():
   async for i in get_evens(10):
      print(i)

asyncio.run(main())
`
	z04Program = `async def get_evens(n):
   for i in range(n):
      if i % 2 == 0: 
         yield i

async for i in get_evens(10):
      print(i)
`
	z05Program = `import asyncio

async def get_odds(n):
   for i in range(n):
      if i % 2 == 1: 
         yield i

async def main():
   async for i in get_odds(10):
      print(i)

asyncio.run(main())
`
	z06Program = `import asyncio

async def get_odds(n):
   for i in range(n):
      if i % 2 == 1: 
         yield i

async def main():
   odds = get_odds(10)
   awaitable_list = [anext(odds), anext(odds), anext(odds), anext(odds)]
   for awaitable in awaitable_list:
      print(await awaitable)

asyncio.run(main())
`
	z07Program = `import asyncio

async def get_odds(n):
   for i in range(n):
      if i % 2 == 1: 
         yield i

async def main():
   odds = get_odds(10)
   odds =[ anext(odds), anext(odds)]
   async for i in odds: #this fails
      print(i)

asyncio.run(main())
`
	z08Program = `import asyncio

class EvensGenerator:
   def __init__(self, n):
      self.n = n  
      self.current = 0

   def __aiter__(self):
      return self

   async def __anext__(self):
      if self.current >= self.n:
         raise StopAsyncIteration
      value = self.current
      self.current += 2
      return value

async def main():
   async for i in EvensGenerator(20):
      print(i)

asyncio.run(main())
`
	z09Program = `import asyncio

class EvensGenerator:
   def __init__(self, n):
      self.n = n  
      self.current = 0

   def __aiter__(self):
      return self

   def __anext__(self):
      if self.current >= self.n:
         raise StopAsyncIteration
      value = self.current
      self.current += 2
      return value

async def main():
   async for i in EvensGenerator(20):
      print(i)

asyncio.run(main())
`
)
