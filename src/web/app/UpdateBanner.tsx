/** Shown when the server speaks another protocol version than this build: the tab must reload. */
export function UpdateBanner({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <div role="status" className="update-banner">
      A new version is available —{" "}
      <button type="button" className="update-banner-reload" onClick={() => window.location.reload()}>
        reload
      </button>
    </div>
  );
}
