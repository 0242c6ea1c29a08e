//go:build aiterspec_mutants

package reference

import (
	"fmt"
	"strings"
	"sync/atomic"
)

// mutations lists the library's mutation points (mutation.go).
var mutations = []mutation{
	mutRunningFlagStaysSet, mutStopAsyncIterationEscapes, mutStopIterationEscapesAgen,
	mutStopIterationEscapesCoro, mutAthrowFinishedRaises, mutAcloseRunsUnstarted,
	mutAthrowRunsUnstarted, mutANextDefaultHidesRunning, mutShutdownAsyncgensSkipped,
	mutASendReusable, mutCancelNotDelivered, mutAiterOnInstance, mutAwaitOnInstance,
	mutFinalizerClosesImmediately, mutShutdownErrorEscapes,
}

// MutationNames lists the library's mutation points. It exists only in
// builds with -tags aiterspec_mutants, as SetMutation does.
func MutationNames() []string {
	names := make([]string, len(mutations))
	for i, m := range mutations {
		names[i] = string(m)
	}
	return names
}

var activeMutation atomic.Pointer[mutation]

// SetMutation switches on the library's mutation point name for the
// whole process ("" switches mutations off); one is on at a time.
func SetMutation(name string) error {
	if name == "" {
		activeMutation.Store(nil)
		return nil
	}
	for _, m := range mutations {
		if string(m) == name {
			activeMutation.Store(&m)
			return nil
		}
	}
	return fmt.Errorf("unknown library mutation %q (known: %s)", name, strings.Join(MutationNames(), ", "))
}

func mutated(m mutation) bool {
	active := activeMutation.Load()
	return active != nil && *active == m
}
