// Server-side paging with opaque cursors: keeps the cursors of the pages seen so that "previous" works.
import { ref, shallowRef } from 'vue'
import type { Page } from '@/api/types'

export function useCursorList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const items = shallowRef<T[]>([])
  const loading = ref(false)
  const error = shallowRef<unknown>(null)
  const pageIndex = ref(0)
  const hasNext = ref(false)
  // cursors[i] is the cursor that loads page i (null for the first page).
  let cursors: (string | null)[] = [null]
  let nextCursor: string | null = null
  let seq = 0

  async function loadPage(i: number): Promise<void> {
    const my = ++seq
    loading.value = true
    error.value = null
    try {
      const page = await fetchPage(cursors[i] ?? null)
      if (my !== seq) return
      items.value = page.items
      pageIndex.value = i
      nextCursor = page.next_cursor
      hasNext.value = page.next_cursor !== null
      cursors = cursors.slice(0, i + 1)
    } catch (e) {
      if (my === seq) error.value = e
    } finally {
      if (my === seq) loading.value = false
    }
  }

  const reload = () => loadPage(pageIndex.value)
  const first = () => {
    cursors = [null]
    return loadPage(0)
  }
  const next = () => {
    if (!nextCursor) return Promise.resolve()
    cursors[pageIndex.value + 1] = nextCursor
    return loadPage(pageIndex.value + 1)
  }
  const prev = () => (pageIndex.value > 0 ? loadPage(pageIndex.value - 1) : Promise.resolve())

  return { items, loading, error, pageIndex, hasNext, first, next, prev, reload }
}
