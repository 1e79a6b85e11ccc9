package drill

import (
	"context"
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/observe"
)

// FirstLog returns the log of the pod's first container instance, whole,
// and the pod's creation time: `logs --previous` while instance 1 runs
// (the kubelet keeps one dead instance per container, observe.PreviousLogs,
// so it is gone after restart 2). Before restart 1, or after restart 2,
// it is an error without asking the API. calibrate reads the probe
// workers' lead from it (calibration.Leads).
func (d *Drill) FirstLog(ctx context.Context) (log string, created time.Time, err error) {
	pod := d.obs.Pod()
	if n := d.obs.RestartCount(); pod == nil || n != 1 {
		return "", time.Time{}, fmt.Errorf("drill %s: the first container's whole log is read while the second runs; restarts: %d", d.Namespace, n)
	}
	log, err = observe.PreviousLogs(ctx, d.cs, d.Namespace, pod.Name, d.Scenario.Pod.ContainerName)
	return log, pod.CreationTimestamp.Time, err
}
