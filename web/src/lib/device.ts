// The candidate's device check before an interview that records audio or video: which devices the plan
// needs, and the microphone level from the Web Audio analyser's time-domain samples.
import type { AnswerMode } from '@/api/types'

export interface DeviceNeeds {
  microphone: boolean
  camera: boolean
}

export function deviceNeeds(modes: readonly AnswerMode[] | undefined): DeviceNeeds {
  const m = modes ?? []
  return { microphone: m.includes('audio') || m.includes('video'), camera: m.includes('video') }
}

/** 0..100 from 8-bit time-domain samples (128 = silence): RMS amplitude, scaled so speech reaches 40-90. */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (!samples.length) return 0
  let sum = 0
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] - 128) / 128
    sum += v * v
  }
  const rms = Math.sqrt(sum / samples.length)
  return Math.min(100, Math.round(rms * 300))
}

/** Why getUserMedia failed, as an i18n key of the device check. */
export function deviceErrorKey(e: unknown): string {
  const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'device.errorDenied'
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'device.errorMissing'
  if (name === 'NotReadableError' || name === 'AbortError') return 'device.errorBusy'
  if (name === 'TypeError' || name === 'unsupported') return 'device.errorUnsupported'
  return 'device.errorOther'
}
