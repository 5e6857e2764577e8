import { describe, expect, it } from 'vitest'
import { deviceErrorKey, deviceNeeds, levelFromSamples } from './device'

describe('device check', () => {
  it('asks for the devices the answer modes need', () => {
    expect(deviceNeeds(['text'])).toEqual({ microphone: false, camera: false })
    expect(deviceNeeds(['text', 'audio'])).toEqual({ microphone: true, camera: false })
    expect(deviceNeeds(['video'])).toEqual({ microphone: true, camera: true })
    expect(deviceNeeds(undefined)).toEqual({ microphone: false, camera: false })
  })

  it('measures silence as 0 and a loud signal near 100', () => {
    expect(levelFromSamples(new Uint8Array(256).fill(128))).toBe(0)
    const loud = Uint8Array.from({ length: 256 }, (_, i) => (i % 2 ? 228 : 28))
    expect(levelFromSamples(loud)).toBe(100)
    const quiet = Uint8Array.from({ length: 256 }, (_, i) => (i % 2 ? 138 : 118))
    expect(levelFromSamples(quiet)).toBeGreaterThan(0)
    expect(levelFromSamples(quiet)).toBeLessThan(40)
    expect(levelFromSamples([])).toBe(0)
  })

  it('explains getUserMedia errors', () => {
    expect(deviceErrorKey({ name: 'NotAllowedError' })).toBe('device.errorDenied')
    expect(deviceErrorKey({ name: 'NotFoundError' })).toBe('device.errorMissing')
    expect(deviceErrorKey({ name: 'NotReadableError' })).toBe('device.errorBusy')
    expect(deviceErrorKey(new Error('x'))).toBe('device.errorOther')
  })
})
