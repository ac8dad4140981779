import "./styles.css";
import "./i18n.js";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { retryable } from "./api.js";
import { Layout } from "./layout.js";
// The overview and login pages are what a user sees first; the rest load when opened.
import { LoginPage } from "./pages/login.js";
import { NotFound } from "./pages/not-found.js";
import { loadChart, OverviewPage } from "./pages/overview.js";

/**
 * Other pages load when first opened. The router fetches a page's chunk before it renders the route,
 * so there is no Suspense fallback, and none of the reveal delay React adds to Suspense boundaries.
 */
const page = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
});

const queryClient = new QueryClient({
  defaultOptions: {
    // Once more after a failure that may pass; a refusal (a project one may not see) is shown at once.
    queries: {
      retry: (failures, error) => failures < 1 && retryable(error),
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: "masuk", element: <LoginPage /> },
      { path: "proyek", lazy: page(() => import("./pages/projects.js")) },
      { path: "proyek/baru", lazy: page(() => import("./pages/project-form.js")) },
      {
        path: "proyek/:id/ubah",
        lazy: page(() => import("./pages/project-form.js").then((m) => ({ default: m.EditProjectPage }))),
      },
      { path: "proyek/:id", lazy: page(() => import("./pages/project.js")) },
      { path: "lapor", lazy: page(() => import("./pages/report.js")) },
      { path: "lapor/:id", lazy: page(() => import("./pages/report.js")) },
      { path: "pendaftaran", lazy: page(() => import("./pages/registrations.js")) },
      { path: "pembayaran", lazy: page(() => import("./pages/payments.js")) },
      { path: "penyedia", lazy: page(() => import("./pages/contractors.js")) },
      { path: "penyedia/:id", lazy: page(() => import("./pages/contractor.js")) },
      { path: "kasus", lazy: page(() => import("./pages/cases.js")) },
      { path: "kasus/:id", lazy: page(() => import("./pages/case.js")) },
      { path: "target", lazy: page(() => import("./pages/targets.js")) },
      { path: "token", lazy: page(() => import("./pages/tokens.js")) },
      { path: "pengguna", lazy: page(() => import("./pages/users.js")) },
      { path: "organisasi", lazy: page(() => import("./pages/organisations.js")) },
      { path: "cek", lazy: page(() => import("./pages/check.js")) },
      { path: "*", element: <NotFound /> },
    ],
  },
]);

if (window.location.pathname === "/") void loadChart();
document.documentElement.lang = localStorage.getItem("pantau.lang") === "en" ? "en" : "id";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
