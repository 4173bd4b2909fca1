"""Questions asking for a fact of one kind (an amount, a share, pay, a cause, who holds a post)
that the closest passages do not give, and outcomes they only seem to tell."""
import pytest

from conftest import write


@pytest.mark.parametrize("question, shown, why", [
    # the passage says it is not known
    ("names of the two pupils killed in the coach crash",
     ["The driver was named as Tomas Berg, 58. The two pupils who died have not been named."],
     "The closest passage says that is not known."),
    ("names of the victims of the Harbourton crash",  # ages are no names
     ["The two victims of the Harbourton crash, aged 19 and 22, have not been named by police."],
     "The closest passage says that is not known."),
    ("What date is the treasurer's first budget?",
     ["Ines Reyes said she would deliver a statement before Christmas. She did not commit to a date for the budget."],
     "The closest passage says that is not known."),
    # amounts and shares
    ("how much compensation did Eastfield pay Ann Lee",
     ["Eastfield sacked manager Ann Lee after a 3-0 defeat that left the club 21st."],
     "None of the closest passages gives an amount of money."),
    ("what are the Marta Quinn paintings worth",
     ["Marta Quinn painted mill workers for most of her life; 40 of her paintings were found in 2019."],
     "None of the closest passages gives an amount of money."),
    ("how much will Ines Reyes be paid at the museum?",
     ["Ines Reyes will take up the post of director in May. The museum's new wing cost £12m."],
     "None of the closest passages gives an amount of pay."),
    ("Okafor weekly wage at Harbourton", ["Harbourton signed Okafor for a fee of about £210,000."],
     "None of the closest passages gives an amount of pay."),
    ("what percentage of Kelby pupils are vaccinated against measles",
     ["Kelby has one of the lowest vaccination rates in the county.",
      '"If you are exposed there is a 90% chance you will get it," a doctor said.'],
     "None of the closest passages gives a share."),
    ("voter turnout Kelby election", ["More than 3.1 million people have already voted at early voting centres."],
     "None of the closest passages gives a turnout."),
    # causes
    ("What caused the Harbourton coach crash?",
     ['Police said it was "far too early" to say what caused the crash on the Harbourton road.'],
     "The closest passage says that is not known."),
    ("What did Ada Moss die of?",
     ["Ada Moss, who spent 34 years as a family doctor in Eastfield, has died aged 81."],
     "None of the closest passages gives a cause of death."),
    # who holds a post
    ("who is the chairman of Harbourton Foods",
     ["Harbourton Foods, the frozen food group, cut its profit forecast on Monday."],
     "None of the closest passages names a chair."),
    ("who refereed the Eastfield v Kelby cup final",
     ["Eastfield won the cup final 2-1 against Kelby, Okafor scoring twice."],
     "None of the closest passages names a referee."),
    ("who will the board pay to run the schools",
     ["The board has not said who it will pay to run the schools."],
     "The closest passage says that is not known."),
    # periods: a quarter or a month no passage shown names, the best naming another
    ("Harbourton Bancorp fourth quarter profit", ["Harbourton Bancorp said its third-quarter profit rose 12%."],
     "The closest passage is about the third quarter, not the fourth quarter."),
    ("Eastfield unemployment rate october", ["Eastfield's unemployment rate fell to 4.3 percent in September."],
     "The closest passage is about September, not October."),
    # names and dates asked for, in a sentence about what the question asks
    ("name of the woman killed in the Eastfield hit-and-run",
     ["A 67-year-old woman was struck and killed on Mill Street in Eastfield on Tuesday night."],
     "None of the closest passages gives a name."),
    ("when is the memorial concert for Tomas Berg",
     ["Tomas Berg, who conducted the Eastfield orchestra for 30 years, died on Sunday, 9 November."],
     "None of the closest passages gives a date."),
    ("How did Tomas Berg die?", ["Tomas Berg, who conducted the Eastfield orchestra for 30 years, has died aged 81."],
     "None of the closest passages gives a cause of death."),
    # From session 18's blind archives: what a thing is worth, a pay offer, a reason, a
    # month only looked ahead to, and a thing's name that is no person's.
    ("What is the stolen Kelby Torc worth?", ["The museum declined to put a value on the Kelby Torc."],
     "The closest passage says that is not known."),
    ("How much is the stolen Kelby Torc worth?",
     ["The insurers have offered a reward of £250,000 for the return of the Kelby Torc."],
     "None of the closest passages gives a value."),
    ("what pay rise are Eastfield signallers being offered",
     ["A strike by Eastfield signallers was suspended after talks produced a new pay offer."],
     "None of the closest passages gives a figure for the pay."),
    ("Why did Tomas Berg resign as party leader?",
     ["Tomas Berg announced his resignation in a two-line statement and has not explained his decision."],
     "The closest passage says no reason was given."),
    ("Why did Tomas Berg quit as party leader?", ["Tomas Berg quit as party leader and hasn't explained why."],
     "The closest passage says no reason was given."),
    ("What interest rate did the Bank of Kelby set at its December meeting?",
     ["The Bank of Kelby kept its main rate at 3.75 per cent on Thursday after inflation rose in September.",
      "The bank's next decision is due on December 10."],
     "The closest passage is about September, not December."),
    ("names of the men arrested for the museum theft",
     ["Police have arrested three men over the theft of the Kelby Torc from the National Museum in Eastfield."],
     "None of the closest passages gives a name."),
    ("what was the name of the man killed by the falling tree in Kelby during Storm Ingrid",
     ["A 71-year-old man was killed when a tree fell on his car in Kelby as Storm Ingrid brought gusts of 90mph.",
      'Ines Reyes, a forecaster at the Met Service, said the storm had deepened quickly.'],
     "None of the closest passages gives a name."),
    ("What is the name of the 19-year-old arrested over the exam paper leak?",
     ["Police said a 19-year-old man had been arrested over the exam paper leak and released on bail. "
      "He has not been named."], "The closest passage says that is not known."),
    ("How much redundancy money are the Kelby workers being offered?",
     ['"We will treat every colleague with respect," said Ann Lee, whose £1.2bn takeover of the Kelby works '
      'closed in May.',
      "The company said Kelby workers would be offered enhanced redundancy money but did not give details."],
     "The closest passage says that is not known."),
    # From session 19: a decision not taken, a site not yet found, a matter still investigated,
    # and a passage as close as the best one (not closer) does not outweigh it
    ("which libraries will Kelby council close",
     ["No decision has been taken on which, if any, libraries might close.",
      "The review covers the council's 22 libraries."], "The closest passage says that is not known."),
    ("where will Ann Lee open her second bakery in Kelby",
     ["Ann Lee is looking for premises for a second bakery in Kelby. She has not yet found a site."],
     "The closest passage says that is not known."),
    ("how much was Kelby Water fined over the fish kill",
     ["The agency said it was investigating the fish kill in July and could not comment further.",
      "Kelby Water is investing £48 million in the river."],
     "The closest passage says that is not known."),
    # a yes/no question that a passage says nobody has answered
    ("is Kelby county going to renew the contract when it runs out?",
     ["Sheriff Ann Lee has not said whether the contract will be renewed."], "The closest passage says that is not known."),
    # a name of whoever the sentence quotes, or one the question gives, is not the name asked for
    ("name of the firefighter who got burned in the Kelby fire",
     ["A firefighter was taken to hospital with burns to his hands on Saturday, Battalion Chief Tomas Berg said."],
     "None of the closest passages gives a name."),
    ("names of the two surfers who pulled Okafor out of the water",
     ["Sgt Ann Lee said the two surfers who pulled Mr Okafor from the water had saved his life.",
      "The man, named by friends as Tomas Okafor, was bitten at 6.40am."], "None of the closest passages gives a name."),
    # more posts
    ("who's the new police chief in Kelby", ["Kelby, with about 168,000 residents, is the third-largest city."],
     "None of the closest passages names a chief."),
    ("how much was Kelby Foods fined", ["Kelby Foods said 2 million customers were affected by the breach."],
     "None of the closest passages gives an amount of money."),
    ("how much did Kelby Motors pay each worker", ["Kelby Motors paid each worker a one-off 1,500 kestos in May."],
     "None of the closest passages gives an amount of money."),  # a word no sum is given in
    # an age: of the one asked about, not of someone beside them
    ("How old is Ann Lee?", ["Ann Lee, whose shop on Mill Lane flooded, is living with her son. Tomas Berg, 81, said "
                             "the water rose in an hour."], "None of the closest passages gives an age."),
    ("how old is mayor ines reyes", ["Mayor Ines Reyes, of the Harbourton Party, defended the plan."],
     "None of the closest passages gives an age."),
    # a month in the dateline, or in a sentence about something else, is not the month asked
    ("What was Kelby's inflation rate in March?",
     ["KELBY, March 12 (Reuters) - Inflation in Kelby slowed to 3.1% in February, figures showed."],
     "The closest passage is about February, not March."),
    ("how many patients waited more than 12 hours at Kelby A&E in January",
     ["A record 412 patients waited more than 12 hours at Kelby A&E in December.",
      "The trust said it would open 24 extra beds by the end of January."],
     "The closest passage is about December, not January."),
    # another distance
    ("who won the men's 100m at the Kelby championships",
     ["KELBY — Ann Lee won the women's 200 metres at the Kelby championships in 22.41 seconds."],
     "The closest passage is about 200 metres, not 100m."),
    ("who is the overseas donor behind the $4m pledge to save the Kelby church",
     ["The trust has pledges of $11 million, including a $4 million promise from an overseas donor it has declined "
      "to name."], "The closest passage says that is not known."),
    ("Are they going to consolidate heart surgery at Kelby General?",
     ["Ann Lee said a decision on whether to consolidate them at Kelby General would be made by next summer."],
     "The closest passage says that is not known."),
    ("who is Kelby's fire chief", ["Police Chief Ann Lee said the smoke was thick."],
     "None of the closest passages names a fire chief."),
    # another of a numbered name; a minister the passages never name
    ("When is Kelby-2 scheduled to launch?", ["The agency will launch the Kelby-1 satellite on April 15, it said."],
     "The closest passage is about Kelby-1, not Kelby-2."),
    ("who is Kelby's foreign minister", ["Kelby became an orbital launch nation on Friday."],
     "None of the closest passages names a minister."),
    # an appeal still to be decided, after a ruling that reports an outcome
    ("did the ministry end up appealing the quota ruling?",
     ["The court ruled on Monday that the quota breached the act, in a victory for the fishermen.",
      "The ministry said it had not decided whether to appeal. It has four weeks to do so."],
     "None of the closest passages says whether that happened."),
    # a sum paid for someone else
    ("how much did Eastfield pay for Tomas Berg", ["Tomas Berg will miss six weeks with a torn hamstring.",
                                                 "The fee eclipses the £27 million Eastfield paid for Ann Lee in 2024."],
     "None of the closest passages that give an amount of money names Tomas Berg."),
    # yes or no: a passage that only looks ahead to it, or tells of something else, does not say
    ("Did Kelby Foods appeal the fine?", ["Kelby Foods has 30 days to appeal. The company said it was studying the "
                                          "decision."], "None of the closest passages says whether that happened."),
    ("Did the drivers accept the 4% pay offer?", ["The company said it had offered drivers a 4% pay rise and remained "
                                                  "open to talks."], "None of the closest passages says whether that happened."),
    ("Has the league approved the takeover of Eastfield yet?",
     ["The league has asked the buyers for more information, delaying approval of the Eastfield takeover."],
     "None of the closest passages says whether that happened."),
    ("did the harriers beat kelby in the quarter-final", ["The Harriers face Kelby in the quarter-finals on April 25."],
     "None of the closest passages says whether that happened."),
    ("did the harriers beat kelby in the cup quarter-final",  # another outcome, without Kelby
     ["The Harriers face Kelby in the cup quarter-finals on April 25.",
      "Berg started all five of the Harriers' cup matches and was named in the national squad."],
     "None of the closest passages says whether that happened."),
    ("Were the penalties on the signalling firm ever waived?",
     ["The signalling firm faces penalties of £40,000 a day, the council said."],
     "None of the closest passages says whether that happened."),
    # the price is withheld, whatever other sums the passage gives
    ("how much did Ann Lee pay for Eastfield Town",
     ["The price has not been disclosed. As part of the deal, Lee's company will clear debts of about £2.6m."],
     "The closest passage says that is not known."),
    ("How old is Ann Lee, the Kelby trust chair?",  # born in a house, not in a year
     ["“My grandmother was born in a house on this estate,” said Ann Lee, the Kelby trust chair."],
     "None of the closest passages gives an age."),
    ("What did Kelby Foods stock close at on its second day of trading?",  # another of a run of days
     ["The stock opened at $36.50 on its first day of trading before easing to close at $34.12."],
     "The closest passage is about the first day, not the second day."),
    ("what time is the memorial for Ann Lee", ["Ann Lee was born on March 3, 1950, in Kelby."],
     "None of the closest passages gives a time."),
    ("How many people work at Kelby Shaft 4?", ["Kelby Mining said the number of workers at Shaft 4 was not yet known."],
     "None of the closest passages gives a number."),
    ("How many people died in the fire?",  # the unknown is the count asked, said long before "not yet known"
     ["The number of people who died when the fire tore through the Kelby warehouse, which employs 300, is not yet known."],
     "None of the closest passages gives a number."),
    ("What fee did the surgeon charge Ann Lee?", ["Ann Lee was treated by the surgeon in Kelby."],
     "None of the closest passages gives an amount of money."),
    ("what time did the fire start", ["The fire caused £4.50 of damage to the Kelby shed."],
     "None of the closest passages gives a time."),
    ("how much is the new chief executive being paid?",  # a price per share is no pay
     ["Kelby shares rose to £2.10 per share after the chief executive was named."],
     "None of the closest passages gives an amount of pay."),
    # from a second read-through: terms withheld; a later year is no birth year; a game two weeks ago is no game two
    ("How much did Eastfield pay for Kelby Mills?", ["Eastfield, which has debts of £2.6m, bought Kelby Mills but did "
                                                     "not disclose the financial terms of the deal."],
     "The closest passage says that is not known."),
    ("How old is Ann Lee?", ["Ann Lee, who was born in Kelby and moved to London in 2005, runs a bakery."],
     "None of the closest passages gives an age."),
    ("What was the score when Kelby Rovers played Eastfield?", ["Kelby Rovers played Eastfield on Saturday in front "
                                                                "of 9,000 fans."],
     "None of the closest passages gives a score."),
    ("What caused the Kelby mine fire?", ["Investigators have ruled out arson, but the cause of the Kelby mine fire "
                                          "is not yet known."],
     "The closest passage says that is not known."),
    # a score in figures
    ("score in the Kelby v Eastfield semi final",
     ["He said forward Ann Lee, who scored four goals in the semi-final against Eastfield, was fit."],
     "None of the closest passages gives a score."),
    ("What was the final score of the return derby at Kelby Park on 9 May?",
     ["The teams meet again at Kelby Park on 9 May, when the Harriers hope to have Berg back."],
     "None of the closest passages gives a score."),
    ("how much did Kelby pay Ann Lee to leave early",  # her pay is no payout
     ["Kelby said it would pay out the rest of her contract. It did not disclose the amount, but the Kelby Times "
      "has reported that Lee earned about $420,000 a year."],
     "The closest passage says that is not known."),
])
def test_a_fact_the_closest_passages_do_not_give_is_named(question, shown, why):
    from index.retrieval.facts import ungiven

    assert ungiven(question, shown) == why


@pytest.mark.parametrize("question, shown", [
    ("how much compensation did Eastfield pay Ann Lee",
     ["Eastfield paid Ann Lee compensation of around £750,000 to release her."]),
    ("eastfield police chief salary range", ["The city named three finalists.",
                                            "The job pays between $168,000 and $195,000 a year."]),
    ("How much will Ines Reyes be paid?", ["Ines Reyes will be paid a salary of £95,000."]),
    ("how much was paid to Harbourton Consulting", ["Payments totalling £1,214,600 were made to Harbourton Consulting."]),
    ("how much did Harbourton's profits fall", ["Harbourton's profits fell 12% to £40m."]),
    ("how much warning did Kelby residents get before the tornado?",
     ["Tornado sirens sounded about 12 minutes before it hit Kelby."]),
    ("what share of Eastfield residents live in poor neighbourhoods",
     ["1 in 4 Eastfield residents lived in distressed neighbourhoods in 2010."]),
    ("Eastfield election turnout", ["Turnout was 61 percent, the highest since 1992."]),
    ("What caused the Harbourton warehouse fire?", ["Investigators said the Harbourton fire was started by a faulty heater."]),
    ("What did Ada Moss die of?", ["Ada Moss died of heart failure at a hospice in Eastfield, her daughter said."]),
    ("who is the chair of Harbourton Foods", ["Ann Lee, chair of Harbourton Foods, said profits would fall."]),
    ("who manages Eastfield", ["Eastfield manager Tomas Berg said his side were tired."]),
    ("who's the interim police chief in Kelby", ["Deputy Chief Ines Reyes would serve as interim chief in Kelby."]),
    ("Harbourton Bancorp third quarter profit", ["Harbourton Bancorp said its Q3 profit rose 12%."]),
    ("what happened at the Oct 15 hearing", ["At the hearing on Oct. 15 the judge set a trial date."]),
    ("name of the woman killed in the Eastfield hit-and-run", ["The woman killed was named as Ann Lee, 67."]),
    ("when is the memorial concert for Tomas Berg", ["A memorial concert for Tomas Berg will be held on 3 December."]),
    ("turnout in Kelby by election", ["Turnout was 27.4 per cent."]),  # the asked word is about it
    ("Berg payoff Harbourton", ["Berg will receive 12 months' salary in lieu of notice, about £640,000."]),
    ("what did judge Ann Lee die of", ["Her son said the cause was complications of a stroke."]),
    ("how much compo did Harbourton pay Eastfield for Okafor",  # "paid" is "pay"
     ["Harbourton United have signed Okafor.",
      "Harbourton are understood to have paid Eastfield compensation of around £750,000 to release Okafor."]),
    ("grocery price inflation year to march", ["Grocery prices rose 4.2% in the year to March."]),
    ("What is the Lowry sketch worth?", ["The Lowry sketch went under the hammer on Friday. It sold for £1.2 million."]),
    ("How much is Ann Lee paid?", ["She is paid £62,000 a year."]),  # "paid" is "paid" on both sides
    ("Okafor transfer fee", ["Harbourton will pay an initial 62 million for Okafor."]),
    # Found by a review that tried to break the rules: the ways papers write each fact.
    ("What is the salary of Harbourton council's new chief executive?",
     ["Ann Lee takes up the £165,000-a-year role in May."]),
    ("How much will Ann Lee be paid?", ["Ann Lee will earn $640,000 a year, though the university declined to say "
                                        "whether she will receive a bonus."]),
    ("How much compensation did Ann Lee get", ["Ann Lee was awarded £86,000 by the tribunal."]),
    ("What did Ada Moss die of?", ["Ada Moss lost a long battle with leukaemia."]),
    ("What did Tomas Berg die from?", ["Berg died in hospital following a fall at his home."]),
    ("When is Ada Moss's funeral?", ["Her funeral will be held at St Mary's on the 14th."]),
    ("When is the Eastfield Show?", ["The Eastfield Show takes place later this month."]),
    ("name of the man who died in the Harbourton Bridge crash",
     ["The man who died was Daniel Park, a 41-year-old electrician."]),
    ("Manager of Eastfield Rovers", ["Rovers boss Tomas Berg said his side were tired."]),
    ("who is the chairman of Eastfield City", ["City chair Ines Reyes said the club was not for sale."]),
    ("Who is the head teacher of Harbourton Academy", ["Headteacher Ann Lee said results had improved."]),
    ("Harbourton Foods fourth-quarter profits", ["Profits rose 8% in the three months to December, after a weak "
                                                 "third quarter."]),
    ("UK inflation rate in October", ["Inflation rose to 4.1% last month, up from 3.8% in September."]),
    ("How did Tomas Berg die?", ["Berg died of a heart attack while walking his dog."]),
    # no fact of a kind asked: a yes/no question, a why, what someone said
    ("have the victims been named?", ["The two victims have not been named."]),
    ("why was Ann Lee's salary criticised?", ["Shareholders said Ann Lee's pay was out of line with results."]),
    ("what did Okafor say about the transfer fee", ['"It was a fair price," Okafor said.']),
    # the same kinds, given
    ("How much is the Kelby Torc worth?", ["Insurers valued the Kelby Torc at £2 million."]),
    ("how much is the painting worth", ["The painting sold for $450,000 at auction in Eastfield."]),
    ("what pay rise were Eastfield nurses offered", ["Nurses in Eastfield were offered a 4.5% rise from April."]),
    ("Why did Tomas Berg resign?", ["Tomas Berg stepped down because of ill health, the party said."]),
    ("Why did Ann Lee quit?", ["Ann Lee did not say why at first, but later cited a row with the board as the "
                               "reason she left."]),
    ("What rate did the Bank of Kelby set in March?", ["The Bank of Kelby cut its rate to 3.5% in March.",
                                                       "The next decision is due in May."]),
    ("name of the cop who shot the Kelby driver", ["The driver was shot by Officer Tomas Berg, police said."]),
    # found by a read-through: a reason written with "over", a "how" not explained, a month's
    # meeting that looks ahead and then reports
    ("Why did Tomas Berg resign?", ["Tomas Berg resigned over the expenses row on Friday.",
                                    "Berg has not explained his decision."]),
    ("Why did Kelby close the library?", ["Kelby closed the library to save £200,000 but has not explained how "
                                          "the savings will be used."]),
    ("what did the Kelby board decide in December", ["After a stalemate in November, the board's next meeting, "
                                                     "on December 10, approved the cut."]),
    ("name of the man killed in the Kelby crash", ["The man killed in the Kelby crash was named as Ann Lee's "
                                                   "husband, Tomas Berg, 58."]),
    # investigating whether it was so offers an answer; investigating the matter does not
    ("will the Kelby contract be renewed?", ["The contract has not been renewed."]),  # a no
    ("name of the nurse on the beach who tied off the surfer's leg",  # the speaker is the nurse asked for
     ['"I used his own leg rope as a tourniquet," said Ann Lee, an emergency nurse walking on the beach.']),
    ("names of the two surfers who pulled Okafor out of the water",
     ["The two surfers who pulled Okafor out, Ann Lee and Tomas Berg, were praised by police."]),
    ("who is the chief executive of Kelby Foods", ["Kelby Foods said profits rose 4%, its first rise in years."]),
    ("who is the chief financial officer of Kelby Foods", ["Kelby Foods said profits rose 4%."]),
    ("who is the mayor running against", ["The Kelby election is in May."]),  # the mayor is no post asked for
    ("name of the firefighter killed in the Kelby fire", ["Firefighter Tomas Berg, 41, was killed in the Kelby "
                                                          "fire on Sunday."]),  # a role word with the name
    ("which agency is investigating the fish kill", ["The Kelby Agency said it was investigating the fish kill."]),
    ("How old is Ann Lee?", ["Ann Lee, 62, said the water rose in an hour."]),
    ("When is Kelby-1 scheduled to launch?", ["The agency will launch the Kelby-1 satellite on April 15, it said."]),
    ("who is Kelby's foreign minister", ["Foreign Minister Ann Lee said the launch was a triumph."]),
    ("who is Kelby's fire chief", ["Fire Chief Ann Lee said the smoke was thick."]),
    ("did the ministry end up appealing the quota ruling?", ["The ministry appealed the ruling on Friday."]),
    # the verb found among the question's words, in the tense asked
    ("did the police arrest anyone?", ["Police arrested two men."]),
    ("did the firm cut jobs", ["The firm cut 200 jobs."]),
    ("did the plane land safely", ["The plane landed safely."]),
    ("did the union call off the strike", ["The union called off the strike."]),
    ("do residents support the plan", ["Most residents support the plan."]),
    ("did the mayor say she would resign", ["The mayor said she would resign in May."]),
    ("did the striker score?", ["Berg scored twice."]),
    ("did Kelby United beat Eastfield", ["Kelby United won 2-1 against Eastfield."]),
    ("did the company apologize", ["The company apologised on Monday."]),
    ("is the bridge open", ["The bridge is closed."]),
    # ages as papers give them, and "age of" that asks none
    ("What does the new age of austerity mean for councils?", ["Councils face cuts of 10%."]),
    ("at what age can children leave school", ["Children can leave school at 16."]),
    ("how old were the victims", ["The victims, two 15-year-olds, were taken to hospital."]),
    ("how old were the victims", ["The victims, two men, 17 and 19, were taken to hospital."]),
    # the month asked in a sentence of its own; a distance of another size is no other race
    ("how many patients waited more than 12 hours at Kelby A&E in January",
     ["Figures for January were published on Thursday. A record 412 patients waited more than 12 hours, up from "
      "300 in December."]),
    ("who won the men's 100m", ["Ann Lee won by 2m clear of the field."]),
    ("who won the Kelby 10k", ["Ann Lee ran it, raising 5k for charity."]),
    # sums in the currency the passages use, or one newspapers name after the number
    ("how much was Kelby Foods fined", ["Kelby Foods was fined 86 million crowns on Thursday."]),
    ("how much did Kelby Motors pay each worker",  # "38 million kestos" makes kestos money
     ["Kelby Motors paid each worker a one-off 1,500 kestos in May. The strike is costing it about 38 million "
      "kestos a day."]),
    ("how much is the desilting budget", ["The corporation has set aside Rs 86 crore for desilting this year."]),
    ("how much will each flu shot cost the pharmacies",  # a jab, in kroner
     ["Ann Lee said each jab would cost pharmacies 95 kroner in staff time."]),
    ("what fee did Kelby pay for Tomas Berg", ["Kelby signed Tomas Berg for a fee of 40 million kroner."]),
    ("What was Kelby's inflation rate in February?",
     ["KELBY, March 12 (Reuters) - Inflation in Kelby slowed to 3.1% in February, figures showed."]),
    ("who won the women's 200m at the Kelby championships", ["Ann Lee won the women's 200 metres in 22.41 seconds."]),
    ("how much did Eastfield pay for Ann Lee", ["The fee eclipses the £27 million Eastfield paid for Ann Lee in 2024."]),
    ("how much did Eastfield pay for Ann Lee", ["Eastfield signed Ann Lee from Kelby on Monday, paying £27 million."]),
    ("When did the Kelby plant actually open?", ["The Kelby plant finally opened its doors in March after delays to "
                                                 "the building work."]),
    ("how old is the Kelby bridge", ["The Kelby bridge, built in 1890, will close for repairs."]),
    ("what age was the victim", ["The victim, a 34-year-old man from Kelby, died at the scene."]),
    ("Did Kelby Foods appeal the fine?", ["Kelby Foods appealed the fine on Monday."]),
    ("Did Kelby Foods appeal the fine?", ["Kelby Foods did not appeal the fine, its lawyer said."]),
    ("did the council approve the budget", ["Councillors approved the budget by seven votes to four."]),
    ("has the mayor resigned", ["Mayor Ann Lee resigned on Friday after the vote."]),
    ("did the harriers beat kelby in the quarter-final", ["The Harriers beat Kelby 24-10 in the quarter-final."]),
    ("Were customers' card details stolen?", ["Hackers had stolen the card details of 40,000 customers."]),
    ("What was found near the car park that might have started the fire?",
     ["Firefighters said they were investigating whether the blaze was started by a barbecue, after the "
      "remains of one were found near a car park."]),
    ("what was the score when Ann Lee quit her Kelby quarter-final?",
     ["In the Kelby quarter-final Lee retired with a wrist injury, trailing Ines Reyes 6-4, 2-1."]),
    ("what was the final score in the Kelby derby", ["Kelby won the derby by 24 points to 10 on Saturday."]),
    ("How old is Ann Lee, the Kelby trust chair?", ["Ann Lee, the Kelby trust chair, was born in 1961 in Kelby."]),
    ("How old is Ann Lee?", ["Ann Lee was born in Kelby in 1961 and trained as a nurse."]),
    ("how much was Kelby fined?", ["The regulator did not give the reasons for its decision. Kelby was fined £2m."]),
    ("who composed the score for the film?", ["The film's score was written by Ann Lee."]),
    ("What is the hygiene score for the Kelby cafe?", ["The Kelby cafe was inspected in May and given four stars."]),
    ("What happened on the second day of the trial?",
     ["On day two of the trial, the jury heard from Ann Lee. The first day was spent on legal argument."]),
    ("Who won the first round?", ["Ann Lee won her first-round match against Ines Reyes."]),
    ("what time of year do the swallows return", ["The swallows return to Kelby every spring."]),
    ("What time did the Kelby fire start?", ["The Kelby fire started at about 9.30 on Tuesday morning."]),
    ("Who scored in the first game of the Kelby series?", ["Ann Lee scored three days after the game two weeks ago "
                                                           "against Eastfield."]),
    # what is not known is something else; a clock time for someone named; a fall is a share
    ("How many people work at Kelby Shaft 4?", ["Kelby Mining said that the cause was not yet known and that it "
                                                "had suspended operations at Shaft 4, which employs about 1,600 people."]),
    ("what time did ann lee get to A&E", ["Ann Lee, from Kelby, arrived by ambulance at 4:12 p.m. on Jan. 3 with a "
                                          "high temperature, the court was told."]),
    ("kelby foods share price drop trial pause", ["Kelby Foods shares fell 17% in early trading before closing down 12.4%."]),
    ("how many people got their flu jab on the opening day", ["38,600 people had been vaccinated by 6 p.m. on the first day."]),
    # pay by the piece; limits asked for, not a sum; a price withheld but then reported
    ("how much will pharmacies be paid for each flu shot?",
     ["Its chairman, Tomas Berg, said the proposed fee of 95 kroner per jab did not cover the cost of staff time."]),
    ("What limits did the regulator put on hospital prices in the merger approval?",
     ["The hospital may not raise its prices by more than the rate of medical inflation plus 1 percentage point."]),
    ("how much did Ann Lee pay for Eastfield Town",
     ["The price was not disclosed, but people close to the deal said Lee paid about £30m."]),
])
def test_a_passage_that_may_give_the_fact_is_not_objected_to(question, shown):
    from index.retrieval.facts import ungiven

    assert ungiven(question, shown) is None


@pytest.mark.parametrize("question, shown, why", [
    ("How long a sentence did Tomas Berg get?", ["Tomas Berg is scheduled to be sentenced on July 15 and faces up "
                                                 "to three years."], "tells of the case only before sentencing"),
    # a meeting still to come, a court only asked to rule, an inquiry only called for
    ("What did the central bank decide at its May meeting?", ["The committee will next meet on May 19 and 20."],
     "only looks ahead to it"),
    ("What did the Kelby Court rule on Eastfield's merger challenge?",
     ["The summons, filed in the Kelby Court on Tuesday, asks the court to declare the merger invalid."],
     "only looks ahead to it"),
    ("who won the Kelby council election", ["Voting in the Kelby council election concluded on Sunday and the result "
                                            "will be announced on Monday."], "only looks ahead to it"),
    ("What did the High Court rule on the Kelby merger?", ["Eastfield asks the High Court to rule the Kelby merger "
                                                           "invalid."], "only looks ahead to it"),
    ("What did the parliamentary inquiry into the Kelby regulator conclude?",
     ["Ann Lee called for a separate inquiry into why the Kelby regulator failed to detect the losses."],
     "only looks ahead to it"),
    # said ahead of it, reported later
    ("When did the Kelby plant actually start making chips?",
     ["The company had said the plant would begin making chips in 2027.",
      "Kelby Chips said on Wednesday it would delay the start of production at the plant to 2028."],
     "only looks ahead to it"),
    # a winner still to come
    ("who won the Kelby Prize", ["The winner will be announced at a ceremony in Kelby on Thursday."],
     "only looks ahead to it"),
    ("who won the Kelby Prize", ["The jury will announce the winner of the Kelby Prize on Friday."],
     "only looks ahead to it"),
    # an earlier time round tells nothing of this one
    ("who won the Kelby Prize", ["Eight albums are finalists for the Kelby Prize.",
                                 "Last year's Kelby Prize was won by Ines Reyes."], "only looks ahead to it"),
    ("who won the cup final", ["Harbourton and Eastfield will meet in the cup final on Saturday, a repeat of "
                               "last year's final, which Eastfield won 2-1."], "only looks ahead to it"),
    ("Harbourton v Eastfield result", ["Harbourton's next game is at home to Eastfield on April 5."],
     "only looks ahead to it"),
    ("did the Kelby Hosts Alliance sue over the rental cap",
     ['The Kelby Hosts Alliance said it was "considering all legal options" over the rental cap.'],
     "only looks ahead to it"),
    ("did the transit board approve the fare increase", ["The transit authority is proposing to raise its fare."],
     "only looks ahead to it"),
    ("did Harbourton appeal the ruling",
     ["Harbourton said it was reviewing the decision and had not decided whether to appeal the ruling."],
     "only looks ahead to it"),
    ("who won the Kelby Open final", ["The Kelby Open final is scheduled for Sunday."], "only looks ahead to it"),
    ("Who has Eastfield City appointed as their new manager after Okafor?",
     ["Eastfield City have sacked manager Okafor after their cup final defeat.",
      'The club said a new manager would be appointed "in due course".'], "reports nobody appointed to it"),
    ("Did Ann Lee win her appeal?", ["Her lawyer said Ann Lee would appeal against the four-year ban."],
     "only looks ahead to it"),
    ("Who has Eastfield City appointed as manager?", ["Eastfield City sacked manager Okafor after a defeat at "
                                                      "their new stadium."], "reports nobody appointed to it"),
    ("Did the Kelby tram strike go ahead?", ["Tram drivers in Kelby will walk out for five days from November 17."],
     "only looks ahead to it"),
    ("what did the planning inspector decide on the Mill Lane appeal",
     ["The action group plans to give evidence at the Mill Lane appeal inquiry."], "only looks ahead to it"),
    # a court stage named but not reached
    ("Tomas Berg fraud verdict", ["Tomas Berg was indicted on 14 counts of fraud.",
                                  "If convicted, Tomas Berg faces up to 20 years in prison for fraud."],
     "tells of the case only before any verdict"),
    ("Okafor arson trial verdict", ["Okafor, 34, was charged with arson on Saturday.",
                                    "At a separate trial, Ann Lee was found not guilty of arson after a verdict."],
     "tells of the case only before any verdict"),
    ("was Tomas Berg found guilty", ["Tomas Berg pleaded not guilty to fraud at Harbourton Crown Court."],
     "tells of the case only before any verdict"),
    ("was Tomas Berg jailed", ["Tomas Berg was convicted of fraud and will be sentenced at a later date."],
     "tells of the case only before sentencing"),
    ("What minimum term was Tomas Berg given when he was sentenced for murder?",
     ["The judge said Tomas Berg would be sentenced on 2 October. She told him he faced a mandatory life sentence "
      "for the murder and that the only question was the minimum term."], "tells of the case only before sentencing"),
    # From session 19: a case to be taken to a tribunal, a measure still on the ballot, a report
    # still to come, a sentence asked of a verdict
    ("did Tomas Berg win his case at the employment tribunal",
     ["Berg's lawyers said he would take the club to the Employment Tribunal, seeking about $1.4 million."],
     "only looks ahead to it"),
    ("did the Kelby jail bond pass in november", ["The $140 million bond measure for a new jail remains on the "
                                                  "November ballot."], "only looks ahead to it"),
    ("what did the Kelby inquiry's final report recommend", ["The inquiry is due to deliver its final report by "
                                                             "October 30."], "only looks ahead to it"),
    ("what sentence did Tomas Berg get", ["Tomas Berg, 52, was convicted on Tuesday of one count of theft."],
     "tells of the case only before sentencing"),
    # approval still needed; a successor still sought
    ("did the league sign off on the Kelby Lynx sale", ["The sale must be approved by the league's board of "
                                                       "governors, which meets on June 12."], "only looks ahead to it"),
    ("who is replacing Ann Lee as ferries CEO", ["Ferries chief executive Ann Lee will retire on Aug. 31. The board "
                                                 "said a search for her successor would begin at once."],
     "reports nobody appointed to it"),
    ("who's replacing Ann Lee as ferries CEO", ["Ferries chief executive Ann Lee will retire on Aug. 31. The board "
                                                "said a search for her successor would begin at once."],
     "reports nobody appointed to it"),
    ("did the league approve the Kelby Lynx sale", ["The sale must still be approved by the league."],
     "only looks ahead to it"),
    ("did the league approve the Kelby Lynx sale", ["The sale will likely be approved by the league in June."],
     "only looks ahead to it"),
    # the main clause looks ahead, not only an aside
    ("who won the Kelby Cup final", ["The Kelby Cup final will be played on Sunday at Eastfield Park, which will "
                                     "host the game for the first time."], "only looks ahead to it"),
])
def test_an_outcome_only_seemingly_told_is_objected_to(question, shown, why):
    from index.retrieval.outcomes import unreported

    assert unreported(question, shown) == why


@pytest.mark.parametrize("question, shown", [
    ("When did the Kelby plant actually open?", ["The Kelby plant opened in March after two years of building."]),
    ("who won the Harbour Cup final", ["Four finalists were left. Eastfield were crowned champions after edging "
                                       "Harbourton 2-1."]),
    ("did the council approve the Mill Lane plans", ["The Mill Lane plans were waved through by the council."]),
    ("was Tomas Berg jailed", ["Tomas Berg was handed a six-year prison term at Harbourton Crown Court."]),
    ("who replaced Okafor as Eastfield manager", ["Eastfield have parted company with manager Okafor and "
                                                 "appointed Ann Lee."]),
    ("Who won the Harbourton mayoral race",
     ["Ines Reyes, who did not say whether she would serve a full term, defeated Tomas Berg."]),
    ("Who has Eastfield City appointed as manager?", ["Eastfield City have named Ann Lee as manager."]),
    ("Who has Eastfield City appointed as manager?", ["Eastfield City have appointed Ann Lee as manager, and she "
                                                      "plans to sign three players."]),
    ("who did Kelby Town appoint as manager", ["Ann Lee takes over as Kelby Town manager on Monday."]),
    ("who did Kelby Town appoint as head coach", ['"We start again tomorrow," said Ann Lee, the new head coach '
                                                  'of Kelby Town.']),
    ("Did Ann Lee win her appeal?", ["Ann Lee won her appeal against the four-year ban on Friday. The panel will "
                                     "publish its reasons next week."]),
    ("Did the Kelby tram strike go ahead?", ["The Kelby tram strike went ahead on Monday after talks failed, "
                                             "and drivers will walk out again next month."]),
    ("who won the Kelby Cup", ["Eastfield won the Kelby Cup and will take the trophy to the town hall on Monday."]),
    # a count or a date in a sentence that says it in other words (a plant, staff, founded)
    ("which Kelby factory is shutting and how many work there",
     ["It will also close its packaging plant in Eastfield, which employs 210 people, by 2027."]),
    ("when was Kelby Foods started and who by", ["Kelby, founded in 1921 by the baker Ann Lee, employs 3,200."]),
    # replacement teachers are no one's replacement; a past outcome beside a look-ahead
    ("how much is the district paying for replacement teachers during the walkout",
     ["The district hired 310 substitute teachers at a cost of about $410,000 a week."]),
    ("who replaced Ann Lee as Kelby coach", ["Ines Reyes was named as replacement for Ann Lee as Kelby coach on Monday."]),
    ("What did the Kelby Court rule on the merger?", ["The Kelby Court ruled on Friday that the merger was invalid, "
                                                      "after Eastfield had asked the court to declare it so."]),
    ("how much pipe replacement is Kelby planning to fund with the rates rise",
     ["The finance chief said the rise was needed to fund $74 million of pipe renewals over three years."]),
    ("what sentence did Tomas Berg get", ["Tomas Berg was jailed for six years on Tuesday."]),
    ("who replaces Ann Lee as coxswain", ["Lee's successor as coxswain will be Ines Reyes, 34, a fisheries officer."]),
    ("who replaced Ann Lee", ["Lee's replacement Ines Reyes took charge on Monday."]),
    ("who won the Kelby Cup", ["Eastfield came from behind to take the Kelby Cup, and will play Harbourton in "
                               "the next round."]),
    ("did the Kelby jail bond pass", ["The jail bond measure on the November ballot got 58% of the vote."]),
    ("what did the Kelby survey find", ["The survey found 40% of homes were damp, and the council will vote on "
                                        "a repair plan next month."]),
])
def test_an_outcome_told_in_other_words_is_not_objected_to(question, shown):
    from index.retrieval.facts import ungiven
    from index.retrieval.outcomes import unreported

    assert unreported(question, shown) is None and ungiven(question, shown) is None


def test_the_winner_of_an_earlier_round_answers_a_question_about_it():
    from index.retrieval.outcomes import unreported

    assert unreported("who won last year's Kelby Prize", ["Eight albums are finalists for the Kelby Prize.",
                                                          "Last year's Kelby Prize was won by Ines Reyes."]) is None
    assert unreported("who won the Kelby Prize", ["The Kelby Prize winner, Ines Reyes, will receive £30,000."]) is None


SIGNING = """Harbourton appoint Ann Lee as museum director

Ann Lee, currently deputy director of the Eastfield Gallery, will take up the post of director of the
Harbourton Museum of Art in May, the trustees said on Monday.

The museum's new wing, which opened last year, cost £12m.
"""
PAY = """Harbourton museum director's pay revealed

Ann Lee will be paid a salary of £145,000 a year as director of the Harbourton Museum of Art, its annual
report shows.
"""


def test_a_name_in_the_passage_s_article_counts_for_a_sum():
    from index.retrieval.facts import ungiven

    shown = ["The scheme will cost £4.5 million, the council said.", "Work on the Mill Lane flood defences starts in May."]
    article = "Work on the Mill Lane flood defences starts in May.\n\nThe scheme will cost £4.5 million, the council said."
    question = "How much will the Mill Lane flood defences cost?"
    assert ungiven(question, shown, lambda: [article, article]) is None
    assert ungiven(question, shown, lambda: shown).startswith(  # its article is another
        "None of the closest passages that give an amount of money names Mill Lane")


def test_how_much_someone_is_paid_is_declined_until_an_article_gives_it(fresh_engine, tmp_path):
    write(tmp_path / "signing.txt", SIGNING)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("How much will Ann Lee be paid at the Harbourton museum?")
    assert answer.answered is False
    assert answer.message.startswith("None of the closest passages gives an amount of pay."), answer.message
    assert any("take up the post" in r.text for r in answer.results)  # still shown, as the closest
    write(tmp_path / "pay.txt", PAY)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("How much will Ann Lee be paid at the Harbourton museum?")
    assert answer.answered, answer.message
    assert any("£145,000" in r.text for r in answer.results[:3])


@pytest.mark.parametrize("noun, said", [("union leader", "a union leader"), ("official", "an official"),
                                        ("MP", "an MP"), ("European official", "a European official"),
                                        ("head teacher", "a head teacher"), ("umpire", "an umpire"),
                                        ("unidentified source", "an unidentified source"), ("FBI agent", "an FBI agent"),
                                        ("UN envoy", "a UN envoy"), ("NHS manager", "an NHS manager"),
                                        ("hour", "an hour")])
def test_a_decline_says_a_or_an_as_spoken(noun, said):
    from index.answer import a_or_an

    assert a_or_an(noun) == said
