package spec_test

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	// The ginkgo CLI runs a package as a Ginkgo suite (passing it its
	// flags) only if one of its _test.go files imports Ginkgo.
	_ "github.com/onsi/ginkgo/v2"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/reports"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// The suite's own flags go after `--` on the ginkgo command line:
//
//	go tool ginkgo ./spec -- --adapter=cpython --messages=type
var (
	adapterFlag = flag.String("adapter", "",
		"implementation to test: NAME or NAME:ARG, e.g. cpython, cpython:/usr/bin/python3.12, pypy, exec:./harness (default: $AITERSPEC_ADAPTER, else reference)")
	messagesFlag = flag.String("messages", string(scenario.ExactMessages),
		"exception comparison: exact (type and message) or type (type only)")
	pythonVersionFlag = flag.String("python-version", "",
		"Python version whose expectations apply, e.g. 3.12 (default: the language version the adapter reports)")
	timeoutFlag = flag.Duration("scenario-timeout", adapters.DefaultScenarioTimeout,
		"time limit of one scenario; past it the harness is killed and restarted")
	baselineFlag = flag.String("baseline", "",
		"an implementation's baseline file (reports/baselines/NAME.json): its expected hangs run with their own short time limit; judging is unchanged")
	startTimeoutFlag = flag.Duration("start-timeout", 0,
		"time limit for a harness process to start (to send its hello); 0 means 20s, and about 5s for an exec harness that prints nothing at all and sits idle")
	pythonFlag = flag.String("python", "",
		"interpreter for the cpython and pypy adapters (overrides the one on PATH)")
)

func TestSpec(t *testing.T) {
	name := *adapterFlag
	if name == "" {
		name = os.Getenv("AITERSPEC_ADAPTER")
	}
	if name == "" {
		name = "reference"
	}
	// A bad flag or an adapter that does not open fails the suite's
	// BeforeSuite (spec.TestAdapter validates the options), so the reason
	// reaches --json-report and --junit-report too.
	o := spec.Options{Messages: scenario.Messages(*messagesFlag), PythonVersion: *pythonVersionFlag, Timeouts: map[string]time.Duration{}}
	open := func() (adapters.Adapter, error) {
		a, err := adapters.Open(name, adapters.Options{ScenarioTimeout: *timeoutFlag, StartTimeout: *startTimeoutFlag, Python: *pythonFlag})
		if err != nil || *baselineFlag == "" {
			return a, err
		}
		path := *baselineFlag
		if _, err := os.Stat(path); err != nil && !filepath.IsAbs(path) && process.ModuleRoot() != "" {
			// go test runs in spec/: a path from the module root works too
			path = filepath.Join(process.ModuleRoot(), path)
		}
		b, err := reports.LoadBaseline(path)
		if err == nil && b.Implementation != a.Info().Name {
			err = fmt.Errorf("--baseline=%s is for %q, but the adapter runs %q", *baselineFlag, b.Implementation, a.Info().Name)
		}
		if err != nil {
			a.Close()
			return nil, err
		}
		maps.Copy(o.Timeouts, b.Timeouts(a.Info().Version))
		return a, nil
	}
	spec.TestAdapter(t, open, o)
}
