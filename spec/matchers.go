package spec

import (
	"fmt"

	"github.com/onsi/gomega/types"

	"github.com/aiterspec/aiterspec/scenario"
)

// ObserveExactly succeeds when the actual []scenario.Observation equals want
// entry by entry, comparing exception messages as m says. Its failure
// message shows expected and observed side by side, marking each row that
// differs.
func ObserveExactly(want []scenario.Observation, m scenario.Messages) types.GomegaMatcher {
	return &observeMatcher{want: want, messages: m}
}

type observeMatcher struct {
	want     []scenario.Observation
	messages scenario.Messages
}

func (o *observeMatcher) Match(actual any) (bool, error) {
	got, ok := actual.([]scenario.Observation)
	if !ok {
		return false, fmt.Errorf("ObserveExactly expects []scenario.Observation, got %T", actual)
	}
	return scenario.Matches(o.want, got, o.messages), nil
}

func (o *observeMatcher) FailureMessage(actual any) string {
	got, _ := actual.([]scenario.Observation)
	return fmt.Sprintf("observations differ (messages compared: %s):\n%s", o.messages,
		scenario.SideBySide(o.want, got, o.messages))
}

func (o *observeMatcher) NegatedFailureMessage(actual any) string {
	return "observations should have differed from:\n" + scenario.SideBySide(o.want, o.want, o.messages)
}
