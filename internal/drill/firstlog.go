package drill

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/probedrill/probedrill/internal/observe"
)

// errFirstLogGone: the kubelet keeps one dead instance per container
// (observe.PreviousLogs), so instance 0's log is gone after restart 2.
var errFirstLogGone = errors.New("the first container's log is gone: the kubelet keeps only the last dead instance")

// FirstLog returns the log of the pod's first container instance and the
// pod's creation time: the current log while instance 0 runs, `logs
// --previous` while instance 1 does. calibrate reads the probe workers'
// lead from it (calibration.Leads).
func (d *Drill) FirstLog(ctx context.Context) (log string, created time.Time, err error) {
	pod := d.obs.Pod()
	if pod == nil {
		return "", time.Time{}, fmt.Errorf("drill %s: no pod yet", d.Namespace)
	}
	ns, name, container := d.Namespace, pod.Name, d.Scenario.Pod.ContainerName
	switch d.obs.RestartCount() {
	case 0:
		log, err = observe.CurrentLogs(ctx, d.cs, ns, name, container)
	case 1:
		log, err = observe.PreviousLogs(ctx, d.cs, ns, name, container)
	default:
		err = errFirstLogGone
	}
	return log, pod.CreationTimestamp.Time, err
}
