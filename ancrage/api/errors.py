"""The API's error shape: `{"detail": sentence, "field": name?, "code": word?}` with a 4xx."""


class ApiError(Exception):
    def __init__(self, status: int, detail: str, *, field: str = "", code: str = "") -> None:
        super().__init__(detail)
        self.status, self.detail, self.field, self.code = status, detail, field, code

    def body(self) -> dict[str, str]:
        body = {"detail": self.detail}
        if self.field:
            body["field"] = self.field
        if self.code:
            body["code"] = self.code
        return body
