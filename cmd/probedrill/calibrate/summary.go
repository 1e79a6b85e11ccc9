package calibrate

import (
	"fmt"
	"io"

	"github.com/probedrill/probedrill/internal/calibration"
	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
	"github.com/probedrill/probedrill/scenarios"
)

// Summary prints what a calibration measured, where it went, and what it
// does to a prediction (Effect).
func Summary(w io.Writer, f calibration.File, path string) error {
	fmt.Fprintf(w, "Measured (%s):\n\n", f.Source)
	if err := f.WriteSpans(w); err != nil {
		return err
	}
	effect, err := Effect(f)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "\nStored in %s.\n%s\n", path, effect)
	return err
}

// Effect says in a sentence what f does to a prediction: the calibration
// scenario's first kill under the shipped default and under f.
func Effect(f calibration.File) (string, error) {
	shipped, err := firstKill(calibration.Shipped())
	if err != nil {
		return "", err
	}
	this, err := firstKill(f)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s's first Killing: %s with the default calibration, %s with this one.", Scenario, shipped, this), nil
}

// firstKill is the window of Scenario's first Killing under f.
func firstKill(f calibration.File) (string, error) {
	s, err := scenarios.Get(Scenario)
	if err != nil {
		return "", err
	}
	p, err := predict.Predict(s, f.Kubelet(predict.Kubelet{}))
	if err != nil {
		return "", fmt.Errorf("predict %s: %w", Scenario, err)
	}
	kills := p.Timeline.Of(timeline.Killing)
	if len(kills) == 0 {
		return "", fmt.Errorf("predict %s: no Killing", Scenario)
	}
	return fmt.Sprintf("%s…%s", timeline.Offset(kills[0].Earliest), timeline.Offset(kills[0].Latest)), nil
}
