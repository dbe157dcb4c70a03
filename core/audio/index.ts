export { LOG_MEL, melFilterbank } from "./mel-filterbank";
export { LogMelStream, logMel, frameCount } from "./log-mel";
export { Resampler, resample } from "./resampler";
