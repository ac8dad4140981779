import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

/**
 * A choice kept in the page's address (`?name=value`, left out while it is `fallback`) that shows at
 * once: the router updates the address in a transition, and a control bound to the address alone would
 * spring back until that lands. Back and forward still set it; the address's other parameters stay.
 */
export function useAddressChoice<T extends string | null>(
  name: string,
  read: (raw: string | null) => T,
  fallback: T,
): [T, (next: T) => void] {
  const [params, setParams] = useSearchParams();
  const inAddress = read(params.get(name));
  const [value, setValue] = useState<T>(inAddress);
  useEffect(() => setValue(inAddress), [inAddress]);
  const choose = (next: T) => {
    setValue(next);
    const changed = new URLSearchParams(params);
    if (next === fallback || next === null) changed.delete(name);
    else changed.set(name, next);
    setParams(changed, { replace: true });
  };
  return [value, choose];
}
