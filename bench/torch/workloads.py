"""The PyTorch twins by bench case name: factory(**params) -> a function to time once.
`per` divides the measured time (sequence-transition reports ms per transition)."""
import dense_am
import descent
import et
import matmul_peak
import sequence

WORKLOADS = {
    "matmul-peak": (matmul_peak.workload, 1),
    "dense-am-retrieval": (dense_am.workload, 1),
    "dense-am-scaling": (dense_am.workload, 1),
    "et-inference": (et.inference_workload, 1),
    "et-scaling": (et.inference_workload, 1),
    "et-train-step": (et.train_workload, 1),
    "descent-autodiff": (descent.autodiff_workload, 1),
    "descent-closed-form": (descent.closed_form_workload, 1),
    "sequence-transition": (sequence.workload, sequence.STEPS),
}
