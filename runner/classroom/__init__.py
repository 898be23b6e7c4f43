"""The classroom: a web app on the instructor's machine where learners check exercises with only a browser.

store (SQLite: the room, its learners, every submission) <- checks (the queue that runs them in the sandbox)
<- app (the JSON API and the pages) <- server (`invoke classroom`: the room, the URLs, uvicorn).
Nothing of the kit imports this layer but tasks.py."""
