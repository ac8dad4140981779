import "./styles.css";
import "./i18n.js";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { Loading } from "./components/states.js";
import { Layout } from "./layout.js";
// The overview and login pages are what a user sees first; the rest load when opened.
import { LoginPage } from "./pages/login.js";
import { NotFound } from "./pages/not-found.js";
import { OverviewPage } from "./pages/overview.js";

const ProjectsPage = lazy(() => import("./pages/projects.js"));
const ProjectPage = lazy(() => import("./pages/project.js"));
const ReportPage = lazy(() => import("./pages/report.js"));
const ContractorsPage = lazy(() => import("./pages/contractors.js"));
const ContractorPage = lazy(() => import("./pages/contractor.js"));
const CasesPage = lazy(() => import("./pages/cases.js"));
const CasePage = lazy(() => import("./pages/case.js"));
const CheckPage = lazy(() => import("./pages/check.js"));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 } },
});

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: "masuk", element: <LoginPage /> },
      { path: "proyek", element: <ProjectsPage /> },
      { path: "proyek/:id", element: <ProjectPage /> },
      { path: "lapor", element: <ReportPage /> },
      { path: "lapor/:id", element: <ReportPage /> },
      { path: "penyedia", element: <ContractorsPage /> },
      { path: "penyedia/:id", element: <ContractorPage /> },
      { path: "kasus", element: <CasesPage /> },
      { path: "kasus/:id", element: <CasePage /> },
      { path: "cek", element: <CheckPage /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);

document.documentElement.lang = localStorage.getItem("pantau.lang") === "en" ? "en" : "id";

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Suspense fallback={<Loading />}>
        <RouterProvider router={router} />
      </Suspense>
    </QueryClientProvider>
  </StrictMode>,
);
