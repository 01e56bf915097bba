/**
 * Write a FastAPI endpoint, with the files an IDE agent would attach as context: the orchestrator keeps
 * the parts of the context the request needs and picks the tier's model (a provider key is needed).
 *   OPENAI_API_KEY=sk-... npm start
 *   npx tsx examples/fastapi-endpoint.ts
 */
import { orchestrate, report, run } from "./report";

const main_py = `from fastapi import FastAPI, HTTPException
from .db import get_session
from .models import User

app = FastAPI()

@app.get("/users/{user_id}")
def read_user(user_id: int):
    with get_session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise HTTPException(status_code=404, detail="user not found")
        return user
`;

const models_py = `from sqlmodel import SQLModel, Field

class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str
    name: str
    disabled: bool = False
`;

run(async () => {
	const r = await orchestrate({
		request: "Add a PATCH /users/{user_id} endpoint that updates name and email, validates the email and returns 404 for unknown users",
		context: {
			framework: "fastapi",
			language: "python",
			files: [
				{ path: "app/main.py", content: main_py },
				{ path: "app/models.py", content: models_py },
			],
		},
	});
	report("FastAPI endpoint with context", r);
});
