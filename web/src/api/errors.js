// Showing server errors: next to the form item they name, or as a message.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { mapApiError, errorText, canonicalCode } from '../lib/errors.js'
import { t, te } from '../i18n/index.js'

export function translateCode(code, err) {
  if (err && err.field === 'version' && (code === 'conflict' || code === 'failed_precondition')) {
    return t('errors.staleVersion')
  }
  const key = `errors.${canonicalCode(code)}`
  return te(key) ? t(key) : null
}

export function describeError(err) {
  return errorText(err, translateCode)
}

/** Shows any error as a message box at the top of the page. */
export function showError(err) {
  if (err && err.status === 401 && err.handled) return
  ElMessage({ type: 'error', message: describeError(err), showClose: true, duration: 6000 })
}

/**
 * Per-form error state. `props` are the el-form-item props of the form (dotted for
 * nested fields). Bind `:error="fe.errors['id_number']"` on each item.
 */
export function useFormErrors(props) {
  const errors = reactive(Object.fromEntries(props.map((p) => [p, ''])))
  return {
    errors,
    clear() {
      for (const p of props) errors[p] = ''
    },
    /** Puts the error next to its field; returns true if it did, else shows a message. */
    handle(err) {
      const { field, text } = mapApiError(err, props, translateCode)
      if (field) {
        errors[field] = text
        return true
      }
      showError(err)
      return false
    },
  }
}
