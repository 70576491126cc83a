import { describe, expect, it } from '@jest/globals'
import { realJson } from '../__fixtures__/realdata.js'
import { completedResult, finding, settingsWith } from '../__fixtures__/results.js'
import { ActionError } from '../src/errors.js'
import type { ScanResult } from '../src/model.js'
import { judge, severitiesAtOrAbove, unsupportedSystem } from '../src/policy.js'

/** The way out of an unsupported image that basic scanning offers besides on-scan-failure. */
const ENHANCED_WAY =
  'Enhanced scanning (Amazon Inspector) covers more operating systems, and language packages too: turn it on for the registry (ECR console: Private registry > Scanning)'

describe('judge', () => {
  const highAndLow = completedResult([
    finding('CVE-1', 'HIGH'),
    finding('CVE-2', 'LOW'),
    finding('CVE-3', 'HIGH'),
  ])

  it('passes with fail-on-severity: none and leaves the threshold and the outcome unset', () => {
    const verdict = judge(highAndLow, settingsWith())
    expect(verdict).toEqual({ warnings: [], notes: [] })
    expect(verdict).not.toHaveProperty('thresholdExceeded')
    expect(verdict).not.toHaveProperty('outcome')
  })

  it('fails when a finding is at or above the threshold, naming the counts', () => {
    const verdict = judge(highAndLow, settingsWith({ failOnSeverity: 'MEDIUM' }))
    expect(verdict.thresholdExceeded).toBe(true)
    expect(verdict.failure).toBe(
      '2 findings at or above MEDIUM in team/api:v1 (2 HIGH). Fix them, or raise fail-on-severity; the job summary lists them.',
    )
  })

  it('passes when every finding is below the threshold', () => {
    const verdict = judge(highAndLow, settingsWith({ failOnSeverity: 'CRITICAL' }))
    expect(verdict).toEqual({
      thresholdExceeded: false,
      outcome: 'passed',
      warnings: [],
      notes: [],
    })
  })

  it('counts UNTRIAGED as UNDEFINED, the least severe', () => {
    const untriaged = completedResult([finding('CVE-9', 'UNTRIAGED')])
    expect(
      judge(untriaged, settingsWith({ failOnSeverity: 'INFORMATIONAL' })).thresholdExceeded,
    ).toBe(false)
    expect(severitiesAtOrAbove('INFORMATIONAL')).not.toContain('UNDEFINED')
  })

  it('leaves the threshold unknown while findings are unknown', () => {
    const started = completedResult([], { findings: undefined, scanStatus: 'IN_PROGRESS' })
    expect(judge(started, settingsWith()).thresholdExceeded).toBeUndefined()
  })

  it('reports a failure to run ahead of everything else', () => {
    const verdict = judge(
      highAndLow,
      settingsWith({ failOnSeverity: 'LOW' }),
      new ActionError('Denied.', 'Fix IAM.'),
    )
    expect(verdict.failure).toBe('Denied. Fix IAM.')
  })

  it.each([
    ['fail', 'failure'],
    ['warn', 'warnings'],
    ['ignore', 'notes'],
  ] as const)('follows on-scan-failure: %s for a FAILED scan', (reaction, field) => {
    const failed = completedResult([], {
      findings: undefined,
      scanStatus: 'FAILED',
      scanStatusDescription:
        'UnsupportedImageError: The operating system and/or package manager are not supported.',
    })
    const verdict = judge(failed, settingsWith({ onScanFailure: reaction }))
    const text = field === 'failure' ? verdict.failure : verdict[field][0]
    expect(text).toContain('ended FAILED: UnsupportedImageError')
    expect(text).toContain('scratch')
    if (reaction !== 'fail') expect(verdict.failure).toBeUndefined()
  })

  it('treats a wait that ran out as a scan failure, quoting the last status and description', () => {
    const waiting = completedResult([], {
      findings: undefined,
      scanStatus: 'IN_PROGRESS',
      scanStatusDescription: 'The scan is in progress.',
      timedOut: true,
    })
    expect(judge(waiting, settingsWith({ waitTimeoutSeconds: 4 })).failure).toContain(
      'did not finish within wait-timeout (4 s); its last status was IN_PROGRESS (The scan is in progress).',
    )
    expect(judge(waiting, settingsWith({ onScanFailure: 'warn' })).failure).toBeUndefined()
  })

  it('names a status it does not know, with its description, when the wait runs out', () => {
    const failure = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: 'IMAGE_QUARANTINED',
        scanStatusDescription: 'Held for review.',
        timedOut: true,
      }),
      settingsWith({ waitTimeoutSeconds: 5 }),
    ).failure
    expect(failure).toBe(
      'The scan of team/api:v1 did not finish within wait-timeout (5 s): ECR last answered IMAGE_QUARANTINED (Held for review), a status this action does not know. Check the scan in the ECR console; raise wait-timeout, or set on-scan-failure: warn to accept an unfinished scan.',
    )
  })

  it('quotes the last status alone when ECR gave it no description', () => {
    const failure = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: 'IN_PROGRESS',
        scanStatusDescription: undefined,
        timedOut: true,
      }),
      settingsWith({ waitTimeoutSeconds: 3 }),
    ).failure
    expect(failure).toBe(
      'The scan of team/api:v1 did not finish within wait-timeout (3 s); its last status was IN_PROGRESS. Raise wait-timeout, or set on-scan-failure: warn to accept an unfinished scan.',
    )
  })

  it('quotes a description without its own trailing full stops and spaces', () => {
    const failure = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: 'FINDINGS_UNAVAILABLE',
        scanStatusDescription: '  Findings are not available yet... \n',
      }),
      settingsWith(),
    ).failure
    expect(failure).toBe(
      'The scan of team/api:v1 ended FINDINGS_UNAVAILABLE: Findings are not available yet. Inspector could not provide findings; re-run later or check Amazon Inspector.',
    )
  })

  it('says no poll was answered when the wait ran out before its first answer', () => {
    const failure = judge(
      completedResult([], { findings: undefined, scanStatus: undefined, timedOut: true }),
      settingsWith({ waitTimeoutSeconds: 2 }),
    ).failure
    expect(failure).toBe(
      'The scan of team/api:v1 did not finish within wait-timeout (2 s); its last status was unknown (no poll was answered). Raise wait-timeout, or set on-scan-failure: warn to accept an unfinished scan.',
    )
  })

  it('says ECR kept failing, with the last error, when no poll was answered', () => {
    const failure = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: undefined,
        timedOut: true,
        lastPollError: 'We encountered an internal error. Please try again.',
      }),
      settingsWith({ waitTimeoutSeconds: 5 }),
    ).failure
    expect(failure).toBe(
      'ECR kept failing while the action waited for the scan of team/api:v1: every poll in 5 s failed, the last with: We encountered an internal error. Please try again. This is usually a temporary ECR or network problem: re-run the job, or set on-scan-failure: warn to accept an unfinished scan.',
    )
  })

  it('says ECR kept failing after its last known status, when an earlier poll was answered', () => {
    const failure = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: 'IN_PROGRESS',
        scanStatusDescription: 'The scan is in progress.',
        timedOut: true,
        lastPollError: 'Rate exceeded',
      }),
      settingsWith({ waitTimeoutSeconds: 5 }),
    ).failure
    expect(failure).toBe(
      'ECR kept failing while the action waited for the scan of team/api:v1 (its last known status: IN_PROGRESS (The scan is in progress)): every poll in 5 s failed, the last with: Rate exceeded. This is usually a temporary ECR or network problem: re-run the job, or set on-scan-failure: warn to accept an unfinished scan.',
    )
  })

  it('says enhanced findings were still changing, and still fails on the ones read', () => {
    const unsettled = completedResult([finding('CVE-1', 'CRITICAL')], {
      scanType: 'ENHANCED',
      timedOut: true,
      findingsUnsettled: true,
    })
    const threshold = judge(unsettled, settingsWith({ failOnSeverity: 'CRITICAL' }))
    expect(threshold.failure).toContain('1 finding at or above CRITICAL')
    const alone = judge(unsettled, settingsWith())
    expect(alone.failure).toBe(
      "Amazon Inspector's findings for team/api:v1 were still changing when wait-timeout (600 s) ended; the counts shown are from the last read. Raise wait-timeout so they can settle, or set on-scan-failure: warn to accept an unfinished scan.",
    )
  })

  it.each(['warn', 'ignore'] as const)(
    'does not advise on-scan-failure: warn to a user who chose %s',
    (reaction) => {
      const said = (overrides: Parameters<typeof completedResult>[1]) => {
        const verdict = judge(
          completedResult([], { findings: undefined, ...overrides }),
          settingsWith({ onScanFailure: reaction, waitTimeoutSeconds: 5 }),
        )
        expect(verdict.failure).toBeUndefined()
        return [...verdict.warnings, ...verdict.notes]
      }
      expect(
        said({ scanStatus: 'IN_PROGRESS', scanStatusDescription: undefined, timedOut: true }),
      ).toEqual([
        'The scan of team/api:v1 did not finish within wait-timeout (5 s); its last status was IN_PROGRESS. Raise wait-timeout.',
      ])
      expect(
        said({ scanStatus: undefined, timedOut: true, lastPollError: 'Rate exceeded' }),
      ).toEqual([
        'ECR kept failing while the action waited for the scan of team/api:v1: every poll in 5 s failed, the last with: Rate exceeded. This is usually a temporary ECR or network problem: re-run the job.',
      ])
      expect(
        said({ scanStatus: 'IMAGE_QUARANTINED', scanStatusDescription: undefined, timedOut: true }),
      ).toEqual([
        'The scan of team/api:v1 did not finish within wait-timeout (5 s): ECR last answered IMAGE_QUARANTINED, a status this action does not know. Check the scan in the ECR console; raise wait-timeout.',
      ])
      expect(
        said({
          scanType: 'ENHANCED',
          scanStatus: 'ACTIVE',
          findings: completedResult().findings,
          timedOut: true,
          findingsUnsettled: true,
        }),
      ).toEqual([
        "Amazon Inspector's findings for team/api:v1 were still changing when wait-timeout (5 s) ended; the counts shown are from the last read. Raise wait-timeout so they can settle.",
      ])
      expect(
        said({ scanStatus: 'FAILED', scanStatusDescription: 'UnsupportedImageError' }),
      ).toEqual([
        `The scan of team/api:v1 ended FAILED: UnsupportedImageError. Basic scanning cannot scan images without a supported OS package manager (scratch, distroless). ${ENHANCED_WAY}.`,
      ])
      expect(said({ scanStatus: 'UNSUPPORTED_IMAGE', scanStatusDescription: undefined })).toEqual([
        `The scan of team/api:v1 ended UNSUPPORTED_IMAGE. Basic scanning does not support this image's operating system or media type. ${ENHANCED_WAY}.`,
      ])
    },
  )

  it('advises on-scan-failure: warn for an image basic scanning cannot read, when it fails', () => {
    const failure = (scanStatus: string) =>
      judge(
        completedResult([], { findings: undefined, scanStatus, scanStatusDescription: undefined }),
        settingsWith(),
      ).failure
    expect(failure('FAILED')).toBe(
      `The scan of team/api:v1 ended FAILED. Basic scanning cannot scan images without a supported OS package manager (scratch, distroless). ${ENHANCED_WAY}, or set on-scan-failure: warn to accept that.`,
    )
    expect(failure('UNSUPPORTED_IMAGE')).toBe(
      `The scan of team/api:v1 ended UNSUPPORTED_IMAGE. Basic scanning does not support this image's operating system or media type. ${ENHANCED_WAY}, or set on-scan-failure: warn to accept that.`,
    )
  })

  describe("an unsupported image, in ECR's real words", () => {
    const seen = realJson<{ scan_status_descriptions_seen: Record<string, string> }>(
      'other/errors-and-status-descriptions.json',
    ).scan_status_descriptions_seen
    const failure = (description: string | undefined, overrides: Partial<ScanResult> = {}) =>
      judge(
        completedResult([], {
          findings: undefined,
          scanStatus: 'FAILED',
          scanStatusDescription: description,
          ...overrides,
        }),
        settingsWith(),
      ).failure

    it.each([
      ['basic_clair_console_alpine_3_21', 'alpine v3.21'],
      ['basic_clair_console_alpine_3_20', 'alpine v3.20'],
      ['basic_al2022', 'amzn 2022'],
      ['FAILED_scratch_basic_2021', undefined],
      ['enhanced_console_alpine_3_20_3_21', undefined],
    ])('%s names %s', (key, system) => {
      expect(unsupportedSystem(seen[key])).toBe(system)
    })

    it('names the operating system and version ECR named, and the way out through enhanced scanning', () => {
      expect(failure(seen.basic_clair_console_alpine_3_21)).toBe(
        `The scan of team/api:v1 ended FAILED: UnsupportedImageError: The operating system 'alpine' version 'v3.21' is not supported. Basic scanning does not support alpine v3.21. ${ENHANCED_WAY}, or set on-scan-failure: warn to accept that.`,
      )
      // ECR wrote no full stop after this one.
      expect(failure(seen.basic_al2022, { scanStatus: 'UNSUPPORTED_IMAGE' })).toBe(
        `The scan of team/api:v1 ended UNSUPPORTED_IMAGE: UnsupportedImageError: The operating system 'amzn' version '2022' is not supported. Basic scanning does not support amzn 2022. ${ENHANCED_WAY}, or set on-scan-failure: warn to accept that.`,
      )
    })

    it('says what it can of a scratch image, whose description names no operating system', () => {
      expect(failure(seen.FAILED_scratch_basic_2021)).toBe(
        `The scan of team/api:v1 ended FAILED: UnsupportedImageError: The operating system and/or package manager are not supported. Basic scanning cannot scan images without a supported OS package manager (scratch, distroless). ${ENHANCED_WAY}, or set on-scan-failure: warn to accept that.`,
      )
    })

    it('does not offer enhanced scanning to an enhanced scan', () => {
      const enhanced = { scanType: 'ENHANCED' as const, scanStatus: 'UNSUPPORTED_IMAGE' }
      expect(failure(seen.enhanced_console_alpine_3_20_3_21, enhanced)).toBe(
        "The scan of team/api:v1 ended UNSUPPORTED_IMAGE: UnsupportedImageError: The operating system and/or package manager are not supported. Amazon Inspector does not support this image's operating system or media type; set on-scan-failure: warn to accept that.",
      )
      expect(failure(seen.basic_clair_console_alpine_3_21, enhanced)).toContain(
        'Amazon Inspector does not support alpine v3.21; set on-scan-failure: warn to accept that.',
      )
    })

    it('does not advise on-scan-failure: warn to whom chose warn or ignore', () => {
      for (const onScanFailure of ['warn', 'ignore'] as const) {
        const said = (scanType: 'BASIC' | 'ENHANCED') => {
          const verdict = judge(
            completedResult([], {
              findings: undefined,
              scanType,
              scanStatus: 'FAILED',
              scanStatusDescription: seen.basic_clair_console_alpine_3_21,
            }),
            settingsWith({ onScanFailure }),
          )
          return [...verdict.warnings, ...verdict.notes]
        }
        expect(said('BASIC')).toEqual([expect.stringContaining(`${ENHANCED_WAY}.`)])
        expect(said('BASIC').join()).not.toContain('on-scan-failure')
        expect(said('ENHANCED')).toEqual([
          expect.stringMatching(/Amazon Inspector does not support alpine v3\.21\.$/),
        ])
      }
    })
  })

  it('fails on a scan that ended LIMIT_EXCEEDED, saying the daily quota is used up', () => {
    const verdict = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: 'LIMIT_EXCEEDED',
        scanStatusDescription: undefined,
      }),
      settingsWith(),
    )
    expect(verdict.failure).toBe(
      "The scan of team/api:v1 ended LIMIT_EXCEEDED. The registry's daily scan quota is used up; re-run tomorrow.",
    )
  })

  it.each([
    'UNSUPPORTED_IMAGE',
    'FINDINGS_UNAVAILABLE',
    'SCAN_ELIGIBILITY_EXPIRED',
    'IMAGE_ARCHIVED',
  ])('fails on %s with advice', (status) => {
    const verdict = judge(
      completedResult([], {
        findings: undefined,
        scanStatus: status,
        scanStatusDescription: undefined,
      }),
      settingsWith(),
    )
    expect(verdict.failure).toMatch(new RegExp(`ended ${status}\\. \\S+`))
  })
})

describe('judge: every reaction the user can configure, alone and together', () => {
  const quota = { limitExceeded: true, scanStarted: false }
  const failedScan = {
    findings: undefined,
    scanStatus: 'FAILED',
    scanStatusDescription: 'UnsupportedImageError: not supported.',
  }

  it.each([
    ['fail', 'failure'],
    ['warn', 'warnings'],
    ['ignore', 'notes'],
  ] as const)('on-limit-exceeded: %s puts the quota in %s', (onLimitExceeded, where) => {
    const verdict = judge(completedResult([], quota), settingsWith({ onLimitExceeded }))
    const said = where === 'failure' ? [verdict.failure] : verdict[where]
    expect(said).toEqual([expect.stringContaining("ECR's scan quota for team/api:v1 is used up")])
    if (where !== 'failure') expect(verdict.failure).toBeUndefined()
    if (where === 'failure') expect(verdict.failure).toContain('Set on-limit-exceeded: warn')
    else expect(said[0]).toContain('its existing scan is reported')
  })

  it('says nothing of the quota when it was not hit', () => {
    const verdict = judge(completedResult([]), settingsWith({ onLimitExceeded: 'fail' }))
    expect(verdict).toEqual({ warnings: [], notes: [] })
  })

  it('only-fixable counts fixable findings only, for the threshold and its line', () => {
    const result = completedResult([
      finding('CVE-1', 'CRITICAL', { fixAvailable: 'NO' }),
      finding('CVE-2', 'HIGH', { fixAvailable: 'YES' }),
    ])
    const all = judge(result, settingsWith({ failOnSeverity: 'CRITICAL' }))
    expect(all.failure).toContain('1 finding at or above CRITICAL')
    const fixable = judge(result, settingsWith({ failOnSeverity: 'CRITICAL', onlyFixable: true }))
    expect(fixable.thresholdExceeded).toBe(false)
    expect(fixable.failure).toBeUndefined()
    const high = judge(result, settingsWith({ failOnSeverity: 'HIGH', onlyFixable: true }))
    expect(high.failure).toContain('1 fixable finding at or above HIGH in team/api:v1 (1 HIGH)')
    expect(judge(result, settingsWith({ failOnSeverity: 'HIGH' })).failure).toBe(
      '2 findings at or above HIGH in team/api:v1 (1 CRITICAL, 1 HIGH). Fix them, or raise fail-on-severity; the job summary lists them.',
    )
  })

  it('quota warned about and findings over the threshold: fails on the findings, warns of the quota', () => {
    const result = completedResult([finding('CVE-1', 'HIGH')], quota)
    const verdict = judge(result, settingsWith({ onLimitExceeded: 'warn', failOnSeverity: 'HIGH' }))
    expect(verdict.failure).toContain('1 finding at or above HIGH')
    expect(verdict.warnings).toEqual([expect.stringContaining('scan quota')])
  })

  it('quota and a failed scan, both to fail: the quota is the line, the scan failure is not lost', () => {
    const result = completedResult([], { ...quota, ...failedScan })
    const verdict = judge(result, settingsWith({ onLimitExceeded: 'fail', onScanFailure: 'fail' }))
    expect(verdict.failure).toContain('scan quota')
    const warned = judge(result, settingsWith({ onLimitExceeded: 'fail', onScanFailure: 'warn' }))
    expect(warned.warnings).toEqual([expect.stringContaining('ended FAILED')])
  })

  it('quota ignored and a failed scan warned about: a note and a warning, no failure', () => {
    const result = completedResult([], { ...quota, ...failedScan })
    const verdict = judge(
      result,
      settingsWith({ onLimitExceeded: 'ignore', onScanFailure: 'warn', failOnSeverity: 'LOW' }),
    )
    expect(verdict.failure).toBeUndefined()
    expect(verdict.notes).toEqual([expect.stringContaining('scan quota')])
    expect(verdict.warnings).toEqual([expect.stringContaining('ended FAILED')])
    expect(verdict.thresholdExceeded).toBeUndefined()
  })

  it('an error that stopped the scan is the failure, whatever else was configured', () => {
    const result = completedResult([finding('CVE-1', 'CRITICAL')], quota)
    const verdict = judge(
      result,
      settingsWith({ onLimitExceeded: 'warn', failOnSeverity: 'LOW' }),
      new ActionError('ECR said no.', 'Do this.'),
    )
    expect(verdict.failure).toBe('ECR said no. Do this.')
    expect(verdict.thresholdExceeded).toBe(true)
  })
})

describe('judge, fail-on-exploitable', () => {
  const exploitable = (id: string, severity: string, extra = {}) =>
    finding(id, severity, { exploitAvailable: 'YES', packageName: 'openssl', ...extra })
  const failOnExploitable = settingsWith({ failOnExploitable: true })

  it('names the one exploitable finding, its package and severity', () => {
    const result = completedResult([
      exploitable('CVE-E', 'LOW'),
      finding('CVE-N', 'HIGH', { exploitAvailable: 'NO' }),
    ])
    expect(judge(result, failOnExploitable).failure).toBe(
      '1 finding in team/api:v1 has a known exploit: CVE-E (openssl, LOW). Fix them first, or set fail-on-exploitable: false; the job summary marks them.',
    )
  })

  it('lists the five most severe of several and counts the rest', () => {
    const list = [
      exploitable('CVE-1', 'LOW'),
      exploitable('CVE-2', 'CRITICAL'),
      exploitable('CVE-3', 'LOW'),
      exploitable('CVE-4', 'HIGH', { packageName: undefined }),
      exploitable('CVE-5', 'MEDIUM'),
      exploitable('CVE-6', 'LOW'),
      exploitable('CVE-7', 'HIGH'),
    ]
    expect(judge(completedResult(list), failOnExploitable).failure).toBe(
      '7 findings in team/api:v1 have a known exploit: CVE-2 (openssl, CRITICAL), CVE-4 (unknown package, HIGH), CVE-7 (openssl, HIGH), CVE-5 (openssl, MEDIUM), CVE-1 (openssl, LOW) and 2 more. Fix them first, or set fail-on-exploitable: false; the job summary marks them.',
    )
  })

  it('lists all five when exactly five have a known exploit, with no count of more', () => {
    const list = ['CVE-1', 'CVE-2', 'CVE-3', 'CVE-4', 'CVE-5'].map((id) => exploitable(id, 'HIGH'))
    expect(judge(completedResult(list), failOnExploitable).failure).toBe(
      '5 findings in team/api:v1 have a known exploit: CVE-1 (openssl, HIGH), CVE-2 (openssl, HIGH), CVE-3 (openssl, HIGH), CVE-4 (openssl, HIGH), CVE-5 (openssl, HIGH). Fix them first, or set fail-on-exploitable: false; the job summary marks them.',
    )
  })

  it("fails on the threshold's line first when fail-on-severity is exceeded too", () => {
    const result = completedResult([exploitable('CVE-E', 'CRITICAL')])
    const verdict = judge(result, settingsWith({ failOnExploitable: true, failOnSeverity: 'HIGH' }))
    expect(verdict.thresholdExceeded).toBe(true)
    expect(verdict.failure).toBe(
      '1 finding at or above HIGH in team/api:v1 (1 CRITICAL). Fix them, or raise fail-on-severity; the job summary lists them.',
    )
  })

  it('passes when no finding has a known exploit, or when it is not asked', () => {
    const result = completedResult([exploitable('CVE-E', 'CRITICAL')])
    expect(judge(completedResult([finding('CVE-1', 'CRITICAL')]), failOnExploitable).failure).toBe(
      undefined,
    )
    expect(judge(result, settingsWith()).failure).toBeUndefined()
  })

  it('reads nothing into a result without findings', () => {
    const result = completedResult([], { findings: undefined, scanStatus: 'IN_PROGRESS' })
    expect(judge(result, failOnExploitable).failure).toBeUndefined()
  })
})

describe('judge, a baseline that was not compared', () => {
  const notCompared = completedResult([finding('CVE-1', 'HIGH')], {
    baseline: { label: 'team/api:production', outcome: 'missing', reason: 'no such tag' },
  })

  it('warns that the comparison outputs stay empty', () => {
    expect(
      judge(
        notCompared,
        settingsWith({ compareTo: { kind: 'same-repository', imageTag: 'production' } }),
      ).warnings,
    ).toEqual([
      'The baseline team/api:production was not compared: no such tag. new-findings and fixed-findings stay empty.',
    ])
  })

  it('says only-new falls back to every finding', () => {
    const settings = settingsWith({
      compareTo: { kind: 'same-repository', imageTag: 'production' },
      onlyNew: true,
    })
    expect(judge(notCompared, settings).warnings[0]).toMatch(
      /stay empty; only-new considers every finding instead\.$/,
    )
  })
})
