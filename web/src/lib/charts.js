// ECharts with only the parts the statistics, tally and warning dashboard pages use (bar, pie
// and line charts, canvas renderer). Imported by lazily loaded views only, so it stays out of the main bundle.
// No tooltip component: its HTML tooltips carry inline styles, which the server's CSP refuses.
import * as echarts from 'echarts/core'
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, CanvasRenderer])

export { echarts }
