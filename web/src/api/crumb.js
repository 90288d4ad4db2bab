import { ref } from 'vue'

// A page may name its last breadcrumb (e.g. the person's name); reset on navigation.
export const crumbLabel = ref('')
