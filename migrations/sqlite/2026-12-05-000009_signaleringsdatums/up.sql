-- The worklist's due-date projection: per person every signal its trajectory fixes (the domain's
-- `verwachtingen`): its kind and rank among the kinds, its due date (NULL: due the day it is asked;
-- `hooguit_vandaag`: never after that day) and the days it shows (`vanaf`, `tot`, inclusive, NULL
-- unbounded). Written in the transaction of every change that moves it, so that `GET /signaleringen`
-- is a range query over the caller's gemeenten in worklist order instead of a walk over every
-- trajectory. `koers migrate` fills it for the people already stored (the rules are Rust, not SQL).
CREATE TABLE signaleringsdatums (
    inburgeraar_id TEXT NOT NULL REFERENCES inburgeraars (id),
    nummer INTEGER NOT NULL,
    gemeente TEXT NOT NULL,
    soort TEXT NOT NULL,
    rang INTEGER NOT NULL,
    datum DATE,
    hooguit_vandaag BOOLEAN NOT NULL,
    vanaf DATE,
    tot DATE,
    PRIMARY KEY (inburgeraar_id, nummer)
);
-- One index in worklist order that holds every column the worklist filters on, so that a page is read
-- from the index alone and stops once it is full: for a token of all gemeenten at once, and, scanning a
-- little further, for one gemeente (an index led by the gemeente made the planner sort every line of
-- the gemeenten asked).
CREATE INDEX signaleringsdatums_werklijst
    ON signaleringsdatums (datum, rang, inburgeraar_id, gemeente, soort, vanaf, tot, hooguit_vandaag);
-- The few lines due "the day asked" (hours of a Z-route reached, not yet completed), read apart.
CREATE INDEX signaleringsdatums_zwevend ON signaleringsdatums (gemeente) WHERE hooguit_vandaag;
