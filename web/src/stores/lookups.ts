// Small reference lists the staff pages share (departments and jobs for selects and names), loaded once.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { departments as depApi, jobs as jobApi, listAll } from '@/api/endpoints'
import type { Department, Job } from '@/api/types'

export const useLookupStore = defineStore('lookups', () => {
  const departments = ref<Department[]>([])
  const jobs = ref<Job[]>([])
  let depLoad: Promise<void> | null = null
  let jobLoad: Promise<void> | null = null

  function loadDepartments(force = false): Promise<void> {
    if (!depLoad || force)
      depLoad = listAll((cursor) => depApi.list({ limit: 200, cursor })).then((d) => {
        departments.value = d
      }).catch((e) => {
        depLoad = null
        throw e
      })
    return depLoad
  }

  function loadJobs(force = false): Promise<void> {
    if (!jobLoad || force)
      jobLoad = listAll((cursor) => jobApi.list({ limit: 200, cursor })).then((j) => {
        jobs.value = j
      }).catch((e) => {
        jobLoad = null
        throw e
      })
    return jobLoad
  }

  function departmentName(id: string): string {
    return departments.value.find((d) => d.id === id)?.name ?? id
  }

  function jobTitle(id: string): string {
    return jobs.value.find((j) => j.id === id)?.title ?? id
  }

  return { departments, jobs, loadDepartments, loadJobs, departmentName, jobTitle }
})
