// The footer on every page: where the data comes from, and arXiv's requested acknowledgement.
export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <p>Thank you to arXiv for use of its open access interoperability.</p>
        <p>
          Paper data comes from <a href="https://arxiv.org/">arXiv</a> and{" "}
          <a href="https://huggingface.co/papers">Hugging Face Papers</a>.
        </p>
      </div>
    </footer>
  );
}
