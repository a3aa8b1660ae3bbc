"""FastAPI support (the `fastapi` extra): models as response types, errors as statuses, one
client per app.

```python
import ultracart_async as uc
from ultracart_async.fastapi import UltraCart, add_exception_handlers, ultracart_lifespan

app = FastAPI(lifespan=ultracart_lifespan(lambda: uc.CustomerClient(simple_key=KEY)))
add_exception_handlers(app)  # NotFoundError -> 404, RateLimitError -> 429, ... (see _errors)

@app.get("/customers/{oid}")
async def read(oid: int, client: UltraCart) -> uc.CustomerResponse:
    return await client.get_customer(oid)  # serialized by the converter: JSON names, no nulls
```

Importing this module installs `__get_pydantic_core_schema__` on every model class and
registers the models with FastAPI's `jsonable_encoder`; `import ultracart_async` alone does
neither (and imports neither pydantic nor FastAPI). A model parameter is read from the query
string unless marked `Annotated[uc.Customer, Body()]`, as for any non-pydantic class.
"""

from ._errors import STATUS, add_exception_handlers, status_for, ultracart_exception_handler
from ._lifespan import (
    STATE_KEY,
    UltraCart,
    get_ultracart,
    ultracart_client,
    ultracart_lifespan,
)
from ._pydantic import install_pydantic_support
from ._responses import UltraCartJSONResponse, install_encoders

install_pydantic_support()
install_encoders()

__all__ = [
    "UltraCartJSONResponse",
    "add_exception_handlers",
    "ultracart_exception_handler",
    "status_for",
    "STATUS",
    "ultracart_lifespan",
    "ultracart_client",
    "get_ultracart",
    "UltraCart",
    "STATE_KEY",
    "install_pydantic_support",
]
