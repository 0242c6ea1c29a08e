package differential

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	. "github.com/aiterspec/aiterspec/scenario"
)

func encode(t *testing.T, sc *Scenario) string {
	t.Helper()
	data, err := json.Marshal(sc)
	if err == nil {
		_, err = Decode(data)
	}
	if err != nil {
		t.Fatalf("program does not survive its encoding: %v", err)
	}
	return string(data)
}

func TestProgramsAreDeterministic(t *testing.T) {
	a, b := NewGenerator(42, Capabilities), NewGenerator(42, Capabilities)
	seen := map[string]uint64{}
	for n := uint64(0); n < 300; n++ {
		pa, pb := a.Program(n), b.Program(n)
		ja, jb := encode(t, &pa), encode(t, &pb)
		if ja != jb {
			t.Fatalf("program %d differs between two generators of one seed", n)
		}
		if again := a.Program(n); encode(t, &again) != ja {
			t.Fatalf("program %d differs when made twice", n)
		}
		body, _ := json.Marshal([2][]Stmt{pa.Module, pa.Main})
		if m, dup := seen[string(body)]; dup {
			t.Errorf("programs %d and %d are the same", m, n)
		}
		seen[string(body)] = n
	}
	other := NewGenerator(43, Capabilities).Program(0)
	if p := a.Program(0); encode(t, &other) == encode(t, &p) {
		t.Error("seeds 42 and 43 make the same program 0")
	}
}

// TestProgramsNeedOnlyWhatTheyAreGiven generates with capabilities left
// out and checks that no program uses them.
func TestProgramsNeedOnlyWhatTheyAreGiven(t *testing.T) {
	for _, missing := range []Capability{CapDeterministicCollect, CapTasks, CapIntrospection, CapANextBuiltin,
		CapAIterBuiltin, CapAsyncComprehensions, CapCompile, CapAsyncGenMethods} {
		var caps []Capability
		for _, c := range Capabilities {
			if c != missing {
				caps = append(caps, c)
			}
		}
		g := NewGenerator(1, caps)
		for n := uint64(0); n < 400; n++ {
			sc := g.Program(n)
			if slices.Contains(sc.Needs, missing) {
				t.Fatalf("without %s, program %d needs it", missing, n)
			}
			used := usedCaps(&sc)
			// anext and aiter on async generators may be substituted
			// (FORMAT.md), so using them needs the builtin only when the
			// program says so.
			if missing != CapANextBuiltin && missing != CapAIterBuiltin && used[missing] {
				t.Fatalf("without %s, program %d uses it:\n%s", missing, n, encode(t, &sc))
			}
		}
	}
}

// TestProgramsRunOnTheReference: every program is valid, terminates and
// needs nothing the reference lacks.
func TestProgramsRunOnTheReference(t *testing.T) {
	ref := interp.New(interp.DefaultOps(), adapters.Options{ScenarioTimeout: 10 * time.Second})
	g := NewGenerator(3, ref.Info().Capabilities)
	for n := uint64(0); n < 1000; n++ {
		sc := g.Program(n)
		if res := ref.Run(context.Background(), &sc); res.State != adapters.Completed {
			t.Fatalf("program %d: %s: %s\n%s", n, res.State, res.Reason, encode(t, &sc))
		}
	}
}

// TestProgramsCoverTheSurface counts, over a few thousand programs, the
// constructs the generator must reach (issue 11's list).
func TestProgramsCoverTheSurface(t *testing.T) {
	g := NewGenerator(1, Capabilities)
	count := map[string]int{}
	for n := uint64(0); n < 3000; n++ {
		sc := g.Program(n)
		if sc.Mode == SyncMode {
			count["sync mode"]++
		}
		if len(sc.After) > 0 {
			count["after"]++
		}
		cs := collect(&sc)
		for _, st := range cs.stmts {
			switch st.Kind {
			case DefStmt:
				switch {
				case st.Async && yields(st.Body):
					count["async generator"]++
				case st.Name == "__aiter__":
					count["__aiter__ def"]++
				case st.Name == "__anext__" && st.Async:
					count["async __anext__"]++
				case st.Name == "__anext__":
					count["plain __anext__"]++
				case st.Name == "__await__":
					count["__await__"]++
				}
			case LetStmt:
				if st.Name == "__aiter__" {
					count["__aiter__ not callable"]++
				}
			case WhileStmt:
				count["while"]++
			case AsyncForStmt:
				count["async for"]++
				if t := st.TargetExpr; t != nil {
					count["async for target "+string(t.Kind)]++
				}
				if len(st.Else) > 0 {
					count["async for else"]++
				}
				walkStmts(st.Body, func(s *Stmt) bool {
					if s.Kind == BreakStmt {
						count["async for break"]++
					}
					if s.Kind == ContinueStmt {
						count["async for continue"]++
					}
					return true
				})
			case TryStmt:
				if len(st.Finally) > 0 {
					count["finally"]++
				}
				if len(st.Handlers) > 0 {
					count["except"]++
				}
			case DelStmt:
				count["del"]++
			case ClassStmt:
				for _, b := range st.Bases {
					switch b {
					case "tuple", "StopIteration":
						count["class base "+b]++
					default:
						count["class base exception"]++
					}
				}
				has := map[string]bool{}
				for _, m := range st.Body {
					has[m.Name] = true
				}
				if has["__anext__"] && !has["__aiter__"] {
					count["missing __aiter__"]++
				}
				if has["__aiter__"] && !has["__anext__"] {
					count["missing __anext__"]++
				}
			}
		}
		for _, e := range cs.exprs {
			switch e.Kind {
			case CallExpr:
				switch {
				case e.Func == "anext" && len(e.Args) == 2:
					count["anext with default"]++
				case e.Func == "anext":
					count["anext"]++
				case e.Func == "aiter":
					count["aiter"]++
				case e.Func == "gc.collect":
					count["gc.collect"]++
				case e.Func == "asyncio.gather":
					count["gather"]++
				case e.Func == "asyncio.create_task":
					count["create_task"]++
				}
			case MethodExpr:
				count[e.Name]++
			case ComprehensionExpr:
				count["comprehension "+e.Form]++
				for _, c := range e.Clauses {
					if c.TargetExpr != nil {
						count["comprehension target "+string(c.TargetExpr.Kind)]++
					}
				}
			case SubscriptExpr:
				count["subscript"]++
			case CompileExpr:
				count["compile"]++
			case FutureExpr:
				count["future"]++
			}
		}
	}
	for _, want := range []string{"sync mode", "async generator", "__aiter__ def", "async __anext__", "plain __anext__",
		"__await__", "__aiter__ not callable", "missing __aiter__", "missing __anext__", "async for", "async for else",
		"async for break", "async for continue", "finally", "except", "del", "gc.collect", "anext", "anext with default",
		"aiter", "asend", "athrow", "aclose", "send", "throw", "close", "cancel", "gather", "create_task", "future",
		"comprehension list", "comprehension set", "comprehension dict", "comprehension genexp", "compile",
		"after", "while", "async for target tuple", "async for target subscript", "comprehension target tuple",
		"subscript", "class base tuple", "class base StopIteration", "class base exception"} {
		if count[want] < 10 {
			t.Errorf("%q appears %d times in 3000 programs, want at least 10", want, count[want])
		}
	}
}
