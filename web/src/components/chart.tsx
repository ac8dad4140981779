import { BarChart, GaugeChart, LineChart } from "echarts/charts";
import { GridComponent } from "echarts/components";
import { type EChartsCoreOption, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only the charts and parts the dashboard draws, so the overview stays inside its 300 kB budget: no
// tooltip or mark-line components (the figures are in the tables beside each chart).
use([GaugeChart, LineChart, BarChart, GridComponent, CanvasRenderer]);

/**
 * One ECharts canvas. The canvas is an image to assistive technology, so it carries a label that says
 * what it shows; every chart on the dashboard also has its figures in a table next to it.
 */
export default function Chart({
  option,
  label,
  height = 280,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const instance = init(ref.current, null, { renderer: "canvas" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // No animation: the figures appear at once, and a phone's CPU is spared the tweening.
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
