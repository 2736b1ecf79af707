using DigitsGpu;
using Tune.Pipeline.Hosting;

// The experiment's executable: `sweep`, `agent`, `retrain` and `status` (run it with --help). It references
// Tune.Pipeline.Gpu, so `sweep --gpus all` (or agents.gpu in sweep.yaml) starts an agent per CUDA device it finds.
return await ExperimentHost.RunAsync<DigitsGpuExperiment, DigitsGpuExperiment.Parameters>(args, DigitsGpuExperimentSearchSpace.Instance, new() { DataFiles = { DigitsGpuExperiment.DataPath } });
