import { describe, expect, it } from 'vitest'
import { mentionIds, splitMentions } from './mentions'

const liu = { id: 'u1', name: '刘洋' }
const liu2 = { id: 'u2', name: '刘洋洋' }
const wang = { id: 'u3', name: '王丽' }

describe('mentions', () => {
  it('keeps the picked colleagues still named in the body', () => {
    expect(mentionIds('@刘洋 请看一下，@王丽 也看看', [liu, wang, liu])).toEqual(['u1', 'u3'])
    expect(mentionIds('请看一下', [liu])).toEqual([])
  })

  it('splits the body into text and mentions, longest name first', () => {
    expect(splitMentions('请 @刘洋洋 和 @王丽 复核。@无名', ['刘洋', '刘洋洋', '王丽'])).toEqual([
      { text: '请 ', mention: false },
      { text: '@刘洋洋', mention: true },
      { text: ' 和 ', mention: false },
      { text: '@王丽', mention: true },
      { text: ' 复核。@无名', mention: false },
    ])
    expect(splitMentions('', [liu2.name])).toEqual([])
  })
})
