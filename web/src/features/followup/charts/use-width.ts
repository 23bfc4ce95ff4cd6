import { useCallback, useState } from 'react';

/**
 * The width in CSS pixels of the element the returned ref is put on, kept up to date. A chart
 * is drawn at its real width so that its text stays readable on a phone (a scaled viewBox
 * would shrink it).
 */
export function useWidth(fallback = 640): [(element: HTMLElement | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const ref = useCallback((element: HTMLElement | null) => {
    if (!element) return;
    const measure = () => setWidth(Math.max(200, Math.round(element.getBoundingClientRect().width)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
