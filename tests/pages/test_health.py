def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_sets_no_cookie(client, db):
    response = client.get("/healthz")
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
