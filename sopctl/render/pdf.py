"""HTML to PDF through WeasyPrint, the optional extra ``pdf``."""

from __future__ import annotations

import logging
import warnings

from sopctl.errors import UsageError


def html_to_pdf(html: str) -> bytes:
    try:
        with warnings.catch_warnings():  # e.g. "HarfBuzz-Subset will be required": not the user's concern
            warnings.simplefilter("ignore", DeprecationWarning)
            import weasyprint  # type: ignore[import-untyped]
    except ImportError:
        from sopctl.extras import install_hint

        raise UsageError(
            f"PDF output needs WeasyPrint, which is not installed: {install_hint('pdf')} "
            "(or use --format html and print from a browser)"
        ) from None
    except OSError as exc:  # installed, but Pango or another system library is missing
        raise UsageError(
            f"WeasyPrint cannot load a system library ({exc}); install Pango "
            "(e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0) or use --format html"
        ) from None
    # WeasyPrint reports CSS it ignores as warnings: not the user's concern.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data = weasyprint.HTML(string=html).write_pdf()
    assert isinstance(data, bytes)
    return data
